package io.ssegateway.server;

import io.ssegateway.concurrent.DaemonThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.ExecutionStrategy;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded server's thread pool: Jetty's {@link QueuedThreadPool}, except that a task Jetty
 * must run at once never starts a thread of its own.
 *
 * <p>Jetty runs a failed or timed-out request's handling "immediately" ({@code
 * ThreadPool.executeImmediately}): on a reserved thread if one is parked, else, for a task that may
 * block, on a {@code new Thread} started for that one task. It may not queue it on this pool,
 * whose threads could all be blocked in reads the task would end. A client that drops 100,000
 * HTTP/2 streams at once therefore started tens of thousands of threads, one after another (a
 * thread start costs its caller tens of microseconds; releasing them took 4-6 s).
 *
 * <p>Here such a task goes to a few threads of its own instead ({@code sse-immediate-N}), which
 * never run anything else, so no request handling can keep them busy: the reason Jetty would not
 * queue the task does not apply. What runs there is the container's failure handling and the
 * gateway's own listeners (a stream's close), which never wait for a client. Everything else is
 * Jetty's: a reserved thread is still taken first, a non-blocking task still runs in place, and a
 * production hand-off (an {@link ExecutionStrategy}'s own try) is still refused when no reserved
 * thread is free, so Jetty's selectors behave as before.
 */
final class GatewayThreadPool extends QueuedThreadPool {
    private final int immediateThreads;
    private volatile ExecutorService immediate;

    /**
     * @param maxThreads the pool's ceiling (Jetty's)
     * @param minThreads threads kept (Jetty's)
     * @param immediateThreads threads for tasks Jetty must run at once
     */
    GatewayThreadPool(int maxThreads, int minThreads, int immediateThreads) {
        super(maxThreads, minThreads);
        this.immediateThreads = immediateThreads;
    }

    @Override
    protected void doStart() throws Exception {
        immediate = Executors.newFixedThreadPool(immediateThreads, DaemonThreads.numbered("sse-immediate"));
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        ExecutorService stopping = immediate;
        if (stopping == null) {
            return; // never started
        }
        stopping.shutdown();
        if (!stopping.awaitTermination(getStopTimeout(), TimeUnit.MILLISECONDS)) {
            stopping.shutdownNow();
        }
    }

    /**
     * Jetty's try first (a parked reserved thread); if that fails, a task that may block and is not
     * a production hand-off is queued for the immediate threads and counts as taken.
     */
    @Override
    public boolean tryExecute(Runnable task) {
        if (super.tryExecute(task)) {
            return true;
        }
        if (task instanceof ExecutionStrategy || Invocable.getInvocationType(task) != Invocable.InvocationType.BLOCKING) {
            return false;
        }
        ExecutorService threads = immediate;
        if (threads == null) {
            return false;
        }
        try {
            threads.execute(task);
            return true;
        } catch (RejectedExecutionException stopped) {
            return false; // the pool is stopping: Jetty falls back to a thread of its own
        }
    }
}
