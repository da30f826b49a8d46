package io.ssegateway.broker.nats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.nats.client.NKey;
import io.nats.client.support.JwtUtils;
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

/**
 * How a node reaches NATS as operators set it up: a token, user and password, TLS with its own CA,
 * a creds file in operator mode, a server that is not there yet.
 */
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

    @Test
    void userAndPasswordInTheUrl() throws Exception {
        try (NatsServer nats = NatsServer.start("--user", "gateway", "--pass", "p4ss");
             TestGateway node = TestGateway.start("nats-url", "nats://gateway:p4ss@127.0.0.1:" + nats.port());
             TestGateway wrong = TestGateway.start("nats-url", "nats://gateway:nope@127.0.0.1:" + nats.port())) {
            awaitStatus(node, 200);
            node.publishOk("userpass", "in");
            assertEquals(503, wrong.get("/ready").statusCode(), "a wrong password");
        }
    }

    /**
     * Operator mode, as nsc sets it up: an operator, an account with JetStream, a user, all JWTs
     * signed with NKeys (made here with jnats' own NKey and JWT helpers), and the user's creds
     * file; the node authenticates with {@code nats-creds-file} alone, and without it is refused.
     */
    @Test
    void credsFileOfAnOperatorModeServer() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "nats-creds-");
        NKey operator = NKey.createOperator(null);
        NKey account = NKey.createAccount(null);
        NKey user = NKey.createUser(null);
        String operatorPub = new String(operator.getPublicKey());
        String accountPub = new String(account.getPublicKey());
        String operatorJwt = JwtUtils.issueJWT(operator, operatorPub, "test-operator", null, JwtUtils.currentTimeSeconds(),
            operatorPub, () -> "{\"type\":\"operator\",\"version\":2}");
        String accountJwt = JwtUtils.issueJWT(operator, accountPub, "sse", null, JwtUtils.currentTimeSeconds(), operatorPub,
            () -> "{\"type\":\"account\",\"version\":2,\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,"
                + "\"imports\":-1,\"exports\":-1,\"wildcards\":true,\"conn\":-1,\"leaf\":-1,\"mem_storage\":-1,"
                + "\"disk_storage\":-1,\"streams\":-1,\"consumer\":-1}}");
        NKey system = NKey.createAccount(null); // JetStream in operator mode needs a system account
        String systemPub = new String(system.getPublicKey());
        String systemJwt = JwtUtils.issueJWT(operator, systemPub, "SYS", null, JwtUtils.currentTimeSeconds(), operatorPub,
            () -> "{\"type\":\"account\",\"version\":2}");
        String userJwt = JwtUtils.issueUserJWT(account, accountPub, new String(user.getPublicKey()));
        Path creds = Files.writeString(dir.resolve("user.creds"),
            String.format(JwtUtils.NATS_USER_JWT_FORMAT, userJwt, new String(user.getSeed())));
        Path conf = Files.writeString(dir.resolve("server.conf"), "operator: " + operatorJwt + "\nsystem_account: " + systemPub
            + "\nresolver: MEMORY\nresolver_preload: {\n  " + accountPub + ": " + accountJwt + "\n  " + systemPub + ": " + systemJwt
            + "\n}\n");
        try (NatsServer nats = NatsServer.start("-c", conf.toString());
             TestGateway node = TestGateway.start("broker", "nats", "nats-url", nats.url(), "nats-creds-file", creds.toString());
             TestGateway anonymous = TestGateway.start("broker", "nats", "nats-url", nats.url())) {
            awaitStatus(node, 200);
            node.publishOk("creds", "authenticated by a user JWT");
            assertEquals(503, anonymous.get("/ready").statusCode(), "no credentials: refused");
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
