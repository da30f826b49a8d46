package io.ssegateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.ssegateway.config.ConfigException;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.testing.BusyAnswers;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.Metrics;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Issue 6, points 1–4: publish authorization, private topics, CORS and limits. */
class SecurityTest {
    private static Path secretFile;
    private final HttpClient jdk = HttpClient.newHttpClient();

    @BeforeAll
    static void secret() throws Exception {
        Files.createDirectories(Path.of("target"));
        secretFile = Files.writeString(Files.createTempFile(Path.of("target"), "secret", ".txt"), Tokens.SECRET + "\n");
    }

    private TestGateway secured(String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "auth-hs256-secret-file";
        args[1] = secretFile.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return TestGateway.start(args);
    }

    private HttpResponse<String> publish(TestGateway gw, String topic, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=" + topic)))
            .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString("x"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return jdk.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void publishingWithAKeyNeedsABearerTokenThatAllowsTheTopic() throws Exception {
        try (TestGateway gw = secured()) {
            HttpResponse<String> none = publish(gw, "news.sport", null);
            assertEquals(401, none.statusCode());
            assertEquals("missing-token", Json.field(none.body(), "error"));
            assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));

            assertEquals("invalid-token", Json.field(publish(gw, "news.sport", "not.a.jwt").body(), "error"));
            String forged = Tokens.sign(new com.nimbusds.jose.crypto.MACSigner("another-secret-another-secret-another!!"),
                JWSAlgorithm.HS256, List.of("**"), List.of(), Duration.ofMinutes(5), null);
            assertEquals(401, publish(gw, "news.sport", forged).statusCode(), "wrong signature");
            String expired = Tokens.hs256(List.of("**"), List.of(), Duration.ofMinutes(-5));
            assertEquals("token-expired", Json.field(publish(gw, "news.sport", expired).body(), "error"));

            String newsOnly = Tokens.hs256(List.of("news.*"), List.of(), Duration.ofMinutes(5));
            HttpResponse<String> other = publish(gw, "prices", newsOnly);
            assertEquals(403, other.statusCode());
            assertEquals("topic-forbidden", Json.field(other.body(), "error"));
            assertEquals(200, publish(gw, "news.sport", newsOnly).statusCode());
            assertEquals(5.0, Metrics.value(gw, "sse_requests_rejected_total{reason=\"auth\"}"));
        }
    }

    @Test
    void withoutAKeyOnlyLoopbackClientsMayPublish() throws Exception {
        AccessPolicy open = AccessPolicy.fromConfig(GatewayConfig.of(Map.of()).auth());
        open.checkPublish("127.0.0.1", null, null, "t");
        open.checkPublish("::1", null, null, "t");
        AuthException remote = assertThrows(AuthException.class, () -> open.checkPublish("10.1.2.3", null, null, "t"));
        assertEquals(403, remote.status());
        assertTrue(remote.getMessage().contains("SSE_AUTH_HS256_SECRET_FILE"));
        AuthException proxied = assertThrows(AuthException.class, () -> open.checkPublish("127.0.0.1", "X-Forwarded-For", null, "t"));
        assertEquals(403, proxied.status());
        try (TestGateway gw = TestGateway.start()) {
            assertEquals(200, gw.publish("t", "from loopback").statusCode());
            // nginx on the same host connects from 127.0.0.1 too: a forwarding header gives it away.
            for (String header : List.of("Forwarded", "X-Forwarded-For", "X-Real-IP")) {
                HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(gw.url("/publish?topic=t"))).header(header, header.equals("Forwarded")
                        ? "for=203.0.113.9" : "203.0.113.9").POST(java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode(), header);
                assertEquals("publish-forbidden", Json.field(r.body(), "error"), header);
            }
        }
    }

    @Test
    void rs256Es256AndJwksKeysVerifyTokens() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("r1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("e1").generate();
        Path rsaPem = pem(rsa.toRSAPublicKey().getEncoded());
        Path ecPem = pem(ec.toECPublicKey().getEncoded());
        Path jwks = Files.writeString(Files.createTempFile(Path.of("target"), "jwks", ".json"),
            new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        String rsaToken = Tokens.sign(new RSASSASigner(rsa), JWSAlgorithm.RS256, List.of("**"), List.of(), Duration.ofMinutes(5), "r1");
        String ecToken = Tokens.sign(new ECDSASigner(ec), JWSAlgorithm.ES256, List.of("**"), List.of(), Duration.ofMinutes(5), "e1");
        try (TestGateway gw = TestGateway.start("auth-public-key-file", rsaPem.toString())) {
            assertEquals(200, publish(gw, "k", rsaToken).statusCode());
            assertEquals(401, publish(gw, "k", ecToken).statusCode());
        }
        try (TestGateway gw = TestGateway.start("auth-public-key-file", ecPem.toString())) {
            assertEquals(200, publish(gw, "k", ecToken).statusCode());
        }
        try (TestGateway gw = TestGateway.start("auth-jwks-file", jwks.toString())) {
            assertEquals(200, publish(gw, "k", rsaToken).statusCode());
            assertEquals(200, publish(gw, "k", ecToken).statusCode());
        }
    }

    @Test
    void privateTopicsNeedASubscriberTokenFromHeaderCookieOrQuery() throws Exception {
        try (TestGateway gw = secured("private-topics", "user/**")) {
            String alice = Tokens.hs256(List.of(), List.of("user/alice/**"), Duration.ofMinutes(5));
            HttpResponse<String> anonymous = gw.get("/events?topic=user/alice/inbox");
            assertEquals(401, anonymous.statusCode());
            assertEquals("missing-token", Json.field(anonymous.body(), "error"));
            HttpResponse<String> wrongUser = get(gw, "/events?topic=user/bob/inbox&access_token=" + alice, Map.of());
            assertEquals(403, wrongUser.statusCode());
            assertEquals("topic-forbidden", Json.field(wrongUser.body(), "error"));
            assertEquals(200, head(gw, "/events?topic=user/alice/inbox", Map.of("Authorization", "Bearer " + alice)));
            assertEquals(200, head(gw, "/events?topic=user/alice/inbox", Map.of("Cookie", "sse_token=" + alice)));
            assertEquals(200, head(gw, "/events?topic=user/alice/inbox&access_token=" + alice, Map.of()));
            assertEquals(200, head(gw, "/events?topic=public.news", Map.of()), "public topics need no token");
        }
    }

    @Test
    void aStreamClosesWhenItsTokenExpiresAndResumesWithAFreshOne() throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(8);
        try (TestGateway gw = secured("private-topics", "user/**")) {
            String shortLived = Tokens.hs256(List.of(), List.of("user/alice/**"), Duration.ofSeconds(2));
            SseClient stream = SseClient.connect(http, gw.url("/events?topic=user/alice/feed&access_token=" + shortLived));
            stream.nextComment(Duration.ofSeconds(5));
            String publisher = Tokens.hs256(List.of("user/**"), List.of(), Duration.ofMinutes(5));
            String first = Json.field(publish(gw, "user/alice/feed", publisher).body(), "id");
            assertEquals(first, stream.next().id());
            stream.done().get(10, TimeUnit.SECONDS);
            assertEquals(1.0, Metrics.value(gw, "sse_streams_closed_total{reason=\"token-expired\"}"));
            String missed = Json.field(publish(gw, "user/alice/feed", publisher).body(), "id");
            String fresh = Tokens.hs256(List.of(), List.of("user/alice/**"), Duration.ofMinutes(5));
            try (SseClient resumed = SseClient.connect(http, gw.url("/events?topic=user/alice/feed&access_token=" + fresh),
                    first)) {
                SseEvent e = resumed.next();
                assertEquals(missed, e.id(), "resumed with Last-Event-ID after the token refresh");
            }
        } finally {
            http.stop();
        }
    }

    @Test
    void corsEchoesAllowedOriginsWithCredentialsAndAnswersPreflight() throws Exception {
        try (TestGateway gw = TestGateway.start("cors-origins", "https://app.example")) {
            HttpResponse<String> preflight = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=t")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(204, preflight.statusCode());
            assertEquals("https://app.example", preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("true", preflight.headers().firstValue("Access-Control-Allow-Credentials").orElse(null));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
            assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));

            HttpResponse<String> evil = jdk.send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=t")))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(403, evil.statusCode());
            assertTrue(evil.headers().firstValue("Access-Control-Allow-Origin").isEmpty());

            HttpResponse<String> stream = get(gw, "/health", Map.of("Origin", "https://app.example"));
            assertEquals("https://app.example", stream.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertEquals("Origin", stream.headers().firstValue("Vary").orElse(null));
        }
        try (TestGateway gw = TestGateway.start("cors-origins", "*")) {
            HttpResponse<String> any = get(gw, "/health", Map.of("Origin", "https://anyone.example"));
            assertEquals("*", any.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
            assertTrue(any.headers().firstValue("Access-Control-Allow-Credentials").isEmpty(), "never * with credentials");
        }
    }

    @Test
    void streamsPerClientAddressAreLimitedAndTrustedProxiesNameTheClient() throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(8);
        try (TestGateway gw = TestGateway.start("max-streams-per-client", "2", "trusted-proxies", "127.0.0.1")) {
            SseClient a = SseClient.connect(http, gw.url("/events?topic=l"));
            SseClient b = SseClient.connect(http, gw.url("/events?topic=l"));
            a.nextComment(Duration.ofSeconds(5));
            b.nextComment(Duration.ofSeconds(5));
            BusyAnswers.assertBusy(gw.get("/events?topic=l"), "client-limit");
            assertEquals(200, head(gw, "/events?topic=l", Map.of("X-Forwarded-For", "203.0.113.9")),
                "behind a trusted proxy the forwarded address is the client");
            a.close();
            b.close();
        } finally {
            http.stop();
        }
        try (TestGateway gw = TestGateway.start("max-streams-per-client", "1")) {
            assertEquals(200, head(gw, "/events?topic=l", Map.of("X-Forwarded-For", "203.0.113.9")));
        }
    }

    @Test
    void oversizedRequestHeadersGet431() throws Exception {
        try (TestGateway gw = TestGateway.start("max-header-bytes", "2048");
             java.net.Socket s = new java.net.Socket("127.0.0.1", gw.port())) {
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String status = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals("HTTP/1.1 431", status);
        }
    }

    @Test
    void misconfiguredSecurityStopsStartupNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("private-topics", "user/**")));
        assertTrue(e.getMessage().contains("SSE_PRIVATE_TOPICS"), e.getMessage());
        assertThrows(ConfigException.class, () -> GatewayConfig.of(Map.of("auth-hs256-secret-file", "/nonexistent")));
    }

    @Test
    void topicPatternsMatchWithinAndAcrossSegments() {
        TopicPatterns p = TopicPatterns.of(List.of("news.*", "user/42/**"));
        assertTrue(p.matches("news.sport"));
        assertTrue(p.matches("user/42/orders/7"));
        assertTrue(!p.matches("user/43/orders"));
        assertTrue(!TopicPatterns.of(List.of("a/*")).matches("a/b/c"));
        assertTrue(TopicPatterns.of(List.of("**")).matches("anything/at/all"));
    }

    private HttpResponse<String> get(TestGateway gw, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        return jdk.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a stream and returns its status without waiting for the body (which never ends). */
    private int head(TestGateway gw, String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.url(path))).timeout(Duration.ofSeconds(10));
        headers.forEach(b::header);
        HttpResponse<java.io.InputStream> r = jdk.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        r.body().close();
        return r.statusCode();
    }

    private static Path pem(byte[] der) throws Exception {
        String text = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).encodeToString(der)
            + "\n-----END PUBLIC KEY-----\n";
        return Files.writeString(Files.createTempFile(Path.of("target"), "key", ".pem"), text);
    }

    /** Edge issue, point 10: an expired subscriber token gets 401 token-expired, never a 200 that ends at once. */
    @Test
    void anExpiredSubscriberTokenGets401NeverAnEmpty200() throws Exception {
        try (TestGateway gw = secured("private-topics", "user/**")) {
            for (Duration validFor : List.of(Duration.ofSeconds(-30), Duration.ofMillis(-4_500))) {
                // -30 s: past the 5 s skew; -4.5 s: inside it, but it would leave the stream 0.5 s.
                String token = Tokens.hs256(List.of(), List.of("user/**"), validFor);
                HttpResponse<String> r = gw.get("/events?topic=user/1&access_token=" + token);
                assertEquals(401, r.statusCode(), validFor + ": " + r.body());
                assertEquals("token-expired", Json.field(r.body(), "error"), validFor.toString());
            }
            String fine = Tokens.hs256(List.of(), List.of("user/**"), Duration.ofMinutes(5));
            org.eclipse.jetty.client.HttpClient http = Clients.started(2);
            try (SseClient c = SseClient.connect(http, gw.url("/events?topic=user/1&access_token=" + fine))) {
                assertEquals("sse-gateway", c.nextComment(Duration.ofSeconds(5)));
            } finally {
                http.stop();
            }
        }
    }
}
