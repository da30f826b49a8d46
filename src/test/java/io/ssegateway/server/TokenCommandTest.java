package io.ssegateway.server;

import static io.ssegateway.testing.MercureHttp.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Issue 21, point 3: {@code sse-gateway token} makes tokens a real gateway accepts for exactly what
 * they name (HS256 and a PEM key made by openssl; native and Mercure doors), and a 403 says which
 * patterns the token allows.
 */
class TokenCommandTest {
    private static final String SECRET = "a-secret-of-at-least-32-bytes-for-tokens\n";
    private final HttpClient jdk = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** What a run printed: the token on standard output, and its exit code. */
    private record Run(int exit, String out, String err) {
        String token() {
            assertEquals(0, exit, err);
            return out.strip();
        }
    }

    private static Run token(String... args) {
        CommandLine cl = TokenCommand.commandLine();
        cl.parseArgs(args);
        TokenCommand command = cl.getCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = command.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> publish(TestGateway gw, String topic, String token) throws Exception {
        return jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=" + topic)))
            .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHs256TokenPublishesWhereItMayAndA403NamesWhatItAllows() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), SECRET);
        try (TestGateway gw = TestGateway.start("auth-hs256-secret-file", secret.toString(), "auth-issuer", "https://app.test",
            "private-topics", "user/**")) {
            String publisher = token("--auth-hs256-secret-file", secret.toString(), "--auth-issuer", "https://app.test",
                "--publish", "news.*", "--publish", "user/**", "--ttl", "5m").token();
            assertEquals(200, publish(gw, "news.sport", publisher).statusCode());
            HttpResponse<String> refused = publish(gw, "weather", publisher);
            assertEquals(403, refused.statusCode());
            assertEquals("topic-forbidden", Json.field(refused.body(), "error"));
            assertTrue(Json.field(refused.body(), "message").contains("allows news.*, user/**"), refused.body());
            assertTrue(Json.field(refused.body(), "message").contains("sse-gateway token --publish 'weather'"), refused.body());

            // A subscriber token for a private topic, as a browser sends it (access_token).
            String subscriber = token("--auth-hs256-secret-file", secret.toString(), "--auth-issuer", "https://app.test",
                "--subscribe", "user/42/**").token();
            org.eclipse.jetty.client.HttpClient http = Clients.started(4);
            try (SseClient s = SseClient.connect(http, gw.url("/events?topic=user/42/orders&access_token=" + subscriber))) {
                assertEquals(200, s.response().getStatus());
                String id = Json.field(publish(gw, "user/42/orders", publisher).body(), "id");
                assertEquals(id, s.next(Duration.ofSeconds(5), "a private event").id());
            } finally {
                http.stop();
            }
            HttpResponse<String> other = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/events?topic=user/7/orders")))
                .header("Authorization", "Bearer " + subscriber).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, other.statusCode());
            assertTrue(other.body().contains("allows user/42/**"), other.body());
        }
    }

    @Test
    void aTokenSignedWithAPemKeyFromOpensslIsAcceptedAndAKeyThatDoesNotMatchIsRefusedBeforePrinting() throws Exception {
        Path key = dir.resolve("key.pem");
        Path pub = dir.resolve("pub.pem");
        Certificates.run(List.of("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString()));
        Certificates.run(List.of("openssl", "pkey", "-in", key.toString(), "-pubout", "-out", pub.toString()));
        Path other = dir.resolve("other.pem");
        Certificates.run(List.of("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", other.toString()));
        try (TestGateway gw = TestGateway.start("auth-public-key-file", pub.toString())) {
            String token = token("--auth-public-key-file", pub.toString(), "--private-key-file", key.toString(), "--publish", "**").token();
            assertEquals(200, publish(gw, "any/topic", token).statusCode());
        }
        Run mismatch = token("--auth-public-key-file", pub.toString(), "--private-key-file", other.toString(), "--publish", "**");
        assertEquals(1, mismatch.exit());
        assertEquals("", mismatch.out(), "nothing printed that the gateway would refuse");
        assertTrue(mismatch.err().contains("would refuse"), mismatch.err());
    }

    @Test
    void aMercureTokenPublishesAndSubscribesAtTheMercureDoor() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), SECRET);
        String hub = "https://hub.test/.well-known/mercure";
        String[] keys = {"--auth-hs256-secret-file", secret.toString(), "--mercure-url", hub, "--mercure-issuers", "https://app.test"};
        try (TestGateway gw = TestGateway.start("mercure", "true", "mercure-url", hub, "mercure-issuers", "https://app.test",
            "auth-hs256-secret-file", secret.toString())) {
            String publisher = token(concat(keys, "--mercure", "--publish", "*")).token();
            String subscriber = token(concat(keys, "--mercure", "--subscribe", "urlpattern:https://example.com/users/:id")).token();
            org.eclipse.jetty.client.HttpClient http = Clients.started(4);
            try (SseClient s = SseClient.connect(http, gw.url("/.well-known/mercure?match=" + enc("https://example.com/users/7")),
                Map.of("Authorization", "Bearer " + subscriber))) {
                assertEquals(200, s.response().getStatus());
                HttpResponse<String> r = MercureHttp.publish(gw.url("/.well-known/mercure"), publisher,
                    "topic", "https://example.com/users/7", "data", "private", "private", "on");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(r.body(), s.next(Duration.ofSeconds(5), "a private update the token grants").id());
            } finally {
                http.stop();
            }
        }
        Run noIssuer = token("--auth-hs256-secret-file", secret.toString(), "--mercure", "--publish", "*");
        assertEquals(1, noIssuer.exit());
        assertTrue(noIssuer.err().contains("--mercure-issuers"), noIssuer.err());
    }

    @Test
    void withoutAKeyOrAGrantItSaysWhatIsMissing() {
        Run noKey = token("--publish", "news");
        assertEquals(1, noKey.exit());
        assertTrue(noKey.err().contains("--auth-hs256-secret-file"), noKey.err());
        Run nothing = token("--auth-hs256-secret-file", "/nonexistent");
        assertEquals(2, nothing.exit());
        assertTrue(nothing.err().contains("--publish PATTERN and/or --subscribe PATTERN"), nothing.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
