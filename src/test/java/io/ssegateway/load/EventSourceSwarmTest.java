package io.ssegateway.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The storm's clients behave like a browser's EventSource across a restart: they take the
 * shutdown event's retry, come back on their own and send the last id they saw as Last-Event-ID
 * (the new node's sequence is new, so each resume is answered with an epoch-changed gap, which
 * the node counts).
 */
class EventSourceSwarmTest {
    private static final int CLIENTS = 20;

    @Test
    void clientsComeBackAfterARestartWithTheLastIdTheySaw() throws Exception {
        int port = GatewayProcess.freePort();
        TestGateway first = TestGateway.start("port", Integer.toString(port), "shutdown-retry-jitter", "500ms",
            "drain-timeout", "1s");
        EventSourceSwarm swarm = new EventSourceSwarm(URI.create(first.url("/events?topic=swarm")), CLIENTS, List.of(), System.err);
        CompletableFuture<EventSourceSwarm.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return swarm.run(20_000, 4_000);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Metrics.value(first, "sse_streams_open") < CLIENTS && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        first.publishOk("swarm", "one");
        first.publishOk("swarm", "two");
        Thread.sleep(300);
        first.close();
        TestGateway second = TestGateway.start("port", Integer.toString(port));
        try {
            EventSourceSwarm.Result result = running.get();
            assertEquals(CLIENTS, result.streaming());
            assertEquals(0, result.closedForGood());
            assertEquals(CLIENTS, result.resumes(), result.summary());
            assertEquals(CLIENTS, (int) Metrics.value(second, "sse_gaps_signalled_total{reason=\"epoch-changed\"}"),
                "every client sent an id of the old node's sequence");
        } finally {
            second.close();
        }
    }
}
