package io.ssegateway.broker.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.NatsServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/** How a node reaches NATS as operators set it up: a token, TLS with its own CA, a server that is not there yet. */
class NatsConnectionIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void tokenInTheUrlAndTlsVerifiedByTheCaFile() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "nats-tls-");
        Certificates.Pair server = Certificates.create(dir, "nats", "rsa", "localhost");
        Certificates.Pair other = Certificates.create(dir, "other", "rsa", "localhost");
        try (NatsServer nats = NatsServer.start("--auth", "s3cret-token", "--tls", "--tlscert", server.cert().toString(),
                 "--tlskey", server.key().toString());
             TestGateway node = TestGateway.start("broker", "nats", "nats-url", "tls://s3cret-token@127.0.0.1:" + nats.port(),
                 "nats-ca-file", server.cert().toString());
             TestGateway untrusting = TestGateway.start("broker", "nats", "nats-url",
                 "tls://s3cret-token@127.0.0.1:" + nats.port(), "nats-ca-file", other.cert().toString());
             TestGateway wrongToken = TestGateway.start("broker", "nats", "nats-url", "tls://wrong@127.0.0.1:" + nats.port(),
                 "nats-ca-file", server.cert().toString())) {
            awaitStatus(node, 200);
            HttpClient http = Clients.started(2);
            try (SseClient sub = SseClient.connect(http, node.url("/events?topic=secure"))) {
                sub.nextComment(WAIT);
                String id = node.publishOk("secure", "over TLS");
                assertEquals(id, sub.next().id());
            } finally {
                http.stop();
            }
            assertEquals(503, untrusting.get("/ready").statusCode(), "a server certificate the CA file does not sign");
            assertEquals(503, wrongToken.get("/ready").statusCode(), "a wrong token");
            assertEquals(503, wrongToken.publish("secure", "x").statusCode());
        }
    }

    /** No NATS at start: the node starts, unready; when the server comes, it connects, creates the stream and serves. */
    @Test
    void aNodeStartsUnreadyWithoutNatsAndServesWhenItComes() throws Exception {
        int port = GatewayProcess.freePort();
        try (TestGateway node = TestGateway.start("broker", "nats", "nats-url", "nats://127.0.0.1:" + port)) {
            assertEquals(503, node.get("/ready").statusCode());
            assertEquals(200, node.get("/health").statusCode(), "alive, only not ready");
            assertEquals(503, node.publish("later", "x").statusCode());
            try (NatsServer nats = NatsServer.startOn(port)) {
                awaitStatus(node, 200);
                node.publishOk("later", "now");
            }
        }
    }

    private static void awaitStatus(TestGateway node, int status) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (node.get("/ready").statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(status, node.get("/ready").statusCode(), node.get("/ready").body());
    }
}
