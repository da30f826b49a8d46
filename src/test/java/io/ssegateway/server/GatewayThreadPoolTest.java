package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy;
import org.junit.jupiter.api.Test;

/** What the embedded server's pool takes when Jetty asks it to run a task at once. */
class GatewayThreadPoolTest {
    @Test
    void aTaskThatMayBlockRunsOnAnImmediateThreadWhenNoReservedThreadIsFree() throws Exception {
        GatewayThreadPool pool = started();
        try {
            CompletableFuture<String> ranOn = new CompletableFuture<>();
            assertTrue(pool.tryExecute(() -> ranOn.complete(Thread.currentThread().getName())));
            assertTrue(ranOn.get(5, TimeUnit.SECONDS).startsWith("sse-immediate-"), ranOn.get());
        } finally {
            pool.stop();
        }
    }

    @Test
    void whatJettyRunsInPlaceOrHandsOffToAReservedThreadOnlyIsStillRefused() throws Exception {
        GatewayThreadPool pool = started();
        try {
            Runnable nonBlocking = Invocable.from(Invocable.InvocationType.NON_BLOCKING, () -> { });
            assertFalse(pool.tryExecute(nonBlocking), "Jetty runs a non-blocking task in place");
            AdaptiveExecutionStrategy production = new AdaptiveExecutionStrategy(() -> null, pool);
            assertFalse(pool.tryExecute(production), "a selector's production goes to a reserved thread or stays put");
        } finally {
            pool.stop();
        }
    }

    @Test
    void aStoppedPoolTakesNothing() throws Exception {
        GatewayThreadPool pool = started();
        pool.stop();
        assertFalse(pool.tryExecute(() -> { }), "Jetty falls back to a thread of its own");
        assertEquals(0, pool.getThreads());
    }

    /** A started pool with no reserved threads, so that every try reaches the immediate threads. */
    private static GatewayThreadPool started() throws Exception {
        GatewayThreadPool pool = new GatewayThreadPool(8, 2, 2);
        pool.setReservedThreads(0);
        pool.start();
        return pool;
    }
}
