package io.ssegateway.server;

import io.ssegateway.config.ConfigFile;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.lifecycle.Gateway;
import io.ssegateway.load.LoadGenerator;
import io.ssegateway.load.LoadOptions;
import io.ssegateway.load.LoadResult;
import io.ssegateway.ops.FileLimits;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;

/**
 * The node's stream paths run on a throwaway node while the node reports not ready
 * ({@code warm-up}), so that the JIT has compiled them when a balancer sends it traffic.
 *
 * <p>A fresh JVM interprets the code it has not yet run, and compiles it while it runs: on two
 * cores, with the clients on the same cores, the compiler took a quarter of the gateway's CPU
 * during the first broadcast to 300,000 HTTP/2 streams, and 19,000 HTTP/1.1 streams connecting at
 * once took twice as long on a fresh node as on one that had served before
 * (docs/performance.md, "A node that warms up before it is ready").
 *
 * <p>The throwaway node is this jar's server with the defaults, on an ephemeral loopback port, with
 * the in-memory broker and no auth: nothing reaches the real node's broker, history, metrics or
 * limits. The load tool's clients (in this process) open up to {@value #H2_STREAMS} h2c streams,
 * {@value #H2_PER_CONNECTION} per connection, which get {@value #EVENTS} events of
 * {@value #EVENT_BYTES} bytes; then {@value #H1_ROUNDS} rounds of up to {@value #H1_STREAMS} HTTP/1.1
 * streams connect at once and get {@value #H1_EVENTS} events. A small node warms up with fewer
 * ({@link Plan#of}).
 *
 * <p>Why so many rounds: with one C2 thread kept busy by the warm-up, HotSpot raises the calls a
 * method needs before C2 takes it and drops queued compilations of methods not called in the last
 * 50 ms; three rounds left the accept and request path in profiling code, and the first real burst
 * of 19,000 connections paid for compiling it (docs/performance.md, "What the warm-up leaves to the
 * first burst"). Sixteen rounds take that burst from about the time of a fresh node's second burst
 * to that of its third (docs/performance.md, "Sixteen rounds of HTTP/1.1 in the warm-up").
 *
 * <p>The real node listens meanwhile and serves whoever connects; only {@code /ready} answers 503
 * ({@link Gateway#warmingUp}). When its first stream opens (clients that did not wait for
 * readiness, such as a reconnect storm after a restart), the warm-up stops at once: those clients
 * warm the node themselves, and a warm-up beside them would only take their CPU. A warm-up that
 * fails or takes longer than {@value #TIMEOUT_SECONDS} s is logged and the node becomes ready
 * anyway: warming up is never a reason not to serve.
 */
final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    /** The thread that runs the throwaway node and its clients; {@link Logging} holds its lines below ERROR back. */
    static final String NODE_THREAD = "sse-warm-up-node";
    static final int H2_STREAMS = 10_000;
    static final int H2_PER_CONNECTION = 1_000;
    static final int EVENTS = 20;
    static final int EVENT_BYTES = 1_000;
    static final int H1_STREAMS = 2_000;
    static final int H1_ROUNDS = 16;
    static final int H1_EVENTS = 5;
    static final int TIMEOUT_SECONDS = 60;
    private static final long POLL_MILLIS = 20;
    private static final String TOPIC = "warm-up";

    private WarmUp() {
    }

    /** What a warm-up did: streams that got every event, of how many, and how long it took. */
    record Outcome(long streamsServed, long streamsAsked, double seconds) {
    }

    /** How many streams a warm-up opens: HTTP/2 streams, and HTTP/1.1 streams per round. */
    record Plan(int h2Streams, int h1Streams) {
        /** Heap a warm-up stream may take, server and client side together, with room to spare. */
        static final long HEAP_PER_STREAM = 64 * 1024;

        /**
         * The full warm-up, or less on a small node: the streams of a round take at most an eighth
         * of the heap ({@value #HEAP_PER_STREAM} B each: this node's stream and the client's), and an
         * HTTP/1.1 round at most a quarter of the soft open-file limit (two descriptors a stream,
         * both ends being in this process).
         */
        static Plan of(FileLimits files, long maxHeapBytes) {
            long byHeap = maxHeapBytes / HEAP_PER_STREAM;
            return new Plan((int) Math.min(H2_STREAMS, byHeap), (int) Math.max(0, Math.min(H1_STREAMS, Math.min(byHeap, files.soft() / 8))));
        }
    }

    /** Starts the warm-up of {@code node} (which reports not ready until it ends) on a thread of its own. */
    static void start(Plan plan, Gateway node) {
        Thread thread = new Thread(() -> run(plan, node), "sse-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs the warm-up on {@value #NODE_THREAD} and watches it: done, failed, past its time, or cut
     * short by the node's first stream. Then the node is ready (as far as the warm-up goes).
     */
    static void run(Plan plan, Gateway node) {
        long start = System.nanoTime();
        LOG.log(Level.INFO, "warm-up: a throwaway node on loopback takes {0} HTTP/2 streams and {1} rounds of {2} "
            + "HTTP/1.1 streams; /ready answers 503 until it is done (warm-up=false skips it)",
            plan.h2Streams(), H1_ROUNDS, plan.h1Streams());
        FutureTask<Outcome> task = new FutureTask<>(() -> warmUp(plan));
        Thread worker = new Thread(task, NODE_THREAD);
        worker.setDaemon(true);
        worker.start();
        try {
            Outcome outcome = await(task, node, start);
            if (outcome != null) {
                LOG.log(Level.INFO, "warm-up: done in {0} s; {1} of {2} streams got every event",
                    String.format("%.1f", outcome.seconds()), outcome.streamsServed(), outcome.streamsAsked());
            } else {
                worker.interrupt();
                LOG.log(Level.INFO, "warm-up: stopped after {0} s: clients are here, and warm the node themselves",
                    String.format("%.1f", (System.nanoTime() - start) / 1e9));
            }
        } catch (ExecutionException e) {
            LOG.log(Level.WARNING, "warm-up: failed (" + e.getCause() + "); the node is ready cold");
        } catch (TimeoutException e) {
            worker.interrupt();
            LOG.log(Level.WARNING, "warm-up: not done within " + TIMEOUT_SECONDS + " s; the node is ready cold");
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
        } finally {
            node.warmingUp(false);
        }
    }

    /** The warm-up's outcome, or null as soon as {@code node} has a stream of its own. */
    private static Outcome await(FutureTask<Outcome> task, Gateway node, long start)
        throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = start + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                return task.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                if (node.streams() > 0) {
                    return null;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw notYet;
                }
            }
        }
    }

    /** On {@value #NODE_THREAD}: the throwaway node, the load runs against it in turn, its stop. */
    static Outcome warmUp(Plan plan) throws Exception {
        long start = System.nanoTime();
        Server throwaway = GatewayServer.newServer(GatewayConfig.resolve(Map.of("host", "127.0.0.1", "port", "0",
            "broker", "memory", "max-streams-per-client", "0", "jvm-profile", "off", "warm-up", "false"),
            ConfigFile.NONE, Map.of(), Map.of(), Map.of()));
        throwaway.start();
        try {
            String base = "http://127.0.0.1:" + GatewayServer.port(throwaway);
            List<LoadOptions> runs = new ArrayList<>();
            if (plan.h2Streams() > 0) {
                runs.add(options(base, plan.h2Streams(), H2_PER_CONNECTION, EVENTS));
            }
            for (int r = 0; r < H1_ROUNDS && plan.h1Streams() > 0; r++) {
                runs.add(options(base, plan.h1Streams(), 0, H1_EVENTS));
            }
            long served = 0;
            long asked = 0;
            for (LoadOptions run : runs) {
                LoadResult result = new LoadGenerator(run, new PrintStream(OutputStream.nullOutputStream())).run();
                asked += run.streams();
                served += result.clean() ? result.established() : 0;
            }
            return new Outcome(served, asked, (System.nanoTime() - start) / 1e9);
        } finally {
            // Stopped or not, the throwaway node goes; an interrupt (cut short) must not cut its stop short too.
            boolean interrupted = Thread.interrupted();
            GatewayServer.stop(throwaway);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static LoadOptions options(String base, int streams, int h2PerConnection, int events) {
        return new LoadOptions(base + "/events?topic=" + TOPIC, streams, 1, List.of(), 1_000_000,
            base + "/publish?topic=" + TOPIC, 50, events, EVENT_BYTES, TIMEOUT_SECONDS, 1, 0, 0, null, h2PerConnection, false);
    }
}
