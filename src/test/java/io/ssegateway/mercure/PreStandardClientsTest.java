package io.ssegateway.mercure;

import static io.ssegateway.testing.MercureHttp.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The draft's last appendix, point by point, as a Symfony or API Platform app still sends it: the
 * {@code mercure} claim in a plain JWT, {@code topic} selectors (URI templates), {@code lastEventID},
 * the {@code mercureAuthorization} cookie and the {@code authorization} query parameter; accepted
 * with {@code mercure-legacy}, refused without it.
 */
class PreStandardClientsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String PATH = "/.well-known/mercure";

    @TempDir
    Path dir;
    private MercureTokens tokens;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        tokens = MercureTokens.create(dir);
        http = Clients.started(16);
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
    }

    /** A token as Symfony's LcobucciFactory makes it: typ JWT, the mercure claim, exp, no aud or iss. */
    @SuppressWarnings("JavaUtilDate") // Nimbus takes Date
    private String symfonyToken(List<String> publish, List<String> subscribe) throws Exception {
        return tokens.sign("JWT", new JWTClaimsSet.Builder()
            .claim("mercure", Map.of("publish", publish, "subscribe", subscribe))
            .expirationTime(Date.from(Instant.now().plusSeconds(3600))));
    }

    @Test
    void preStandardFormsWorkWithTheSetting() throws Exception {
        try (TestGateway gw = TestGateway.start(tokens.settings("mercure-legacy", "true"))) {
            String publisher = symfonyToken(List.of("*"), List.of());
            String reader = symfonyToken(List.of(), List.of("https://example.com/books/{id}"));
            String first = publish(gw, publisher, "topic", "https://example.com/books/1", "data", "one").body();
            String query = "topic=" + enc("https://example.com/books/{id}") + "&lastEventID=" + enc(first);
            try (SseClient viaCookie = subscribe(gw, query, Map.of("Cookie", "mercureAuthorization=" + reader));
                 SseClient viaQuery = subscribe(gw, query + "&authorization=" + reader, Map.of())) {
                assertEquals(first, viaCookie.responseHeaders().get("Last-Event-ID"), "the pre-standard cursor header");
                assertEquals(first, viaCookie.responseHeaders().get("Mercure-Last-Event-ID"));
                HttpResponse<String> r = publish(gw, publisher, "topic", "https://example.com/books/2", "data", "two",
                    "private", "on");
                assertEquals(200, r.statusCode(), r.body());
                assertEquals(r.body(), viaCookie.next(WAIT, "private update for the cookie's token").id());
                assertEquals(r.body(), viaQuery.next(WAIT, "private update for the query's token").id());
            }
            // A selector the token does not grant: the private update is not delivered.
            String other = symfonyToken(List.of(), List.of("https://example.com/users/{id}"));
            try (SseClient s = subscribe(gw, "topic=" + enc("https://example.com/books/{id}"),
                Map.of("Cookie", "mercureAuthorization=" + other))) {
                publish(gw, publisher, "topic", "https://example.com/books/3", "data", "three", "private", "on");
                s.assertNoEvent(Duration.ofMillis(500));
            }
        }
    }

    /** Issue 21, point 4: each refusal of a pre-standard form names the setting that accepts it. */
    @Test
    void withoutTheSettingThePreStandardFormsAreRefusedNamingTheSetting() throws Exception {
        try (TestGateway gw = TestGateway.start(tokens.settings())) {
            HttpResponse<String> token = publish(gw, symfonyToken(List.of("*"), List.of()), "topic", "x");
            assertEquals(401, token.statusCode(), "a plain JWT with the mercure claim");
            assertTrue(token.body().contains("--mercure-legacy true") && token.body().contains("pre-standard"), token.body());
            assertTrue(token.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
            HttpResponse<String> selector = gw.get(PATH + "?topic=x");
            assertEquals(400, selector.statusCode(), "topic selectors are not matchers");
            assertTrue(selector.body().contains("--mercure-legacy true"), selector.body());
            // A token signed by another key is no pre-standard token of ours: no hint to anyone who probes.
            HttpResponse<String> foreign = publish(gw, MercureTokens.of("another-secret-of-at-least-32-bytes!!!")
                .sign("JWT", new JWTClaimsSet.Builder().claim("mercure", Map.of("publish", List.of("*")))), "topic", "x");
            assertEquals(401, foreign.statusCode());
            assertFalse(foreign.body().contains("mercure-legacy"), foreign.body());
        }
    }

    private static HttpResponse<String> publish(TestGateway gw, String token, String... fields) throws Exception {
        return MercureHttp.publish(gw.url(PATH), token, fields);
    }

    private SseClient subscribe(TestGateway gw, String query, Map<String, String> headers) throws Exception {
        SseClient s = SseClient.connect(http, gw.url(PATH + "?" + query), headers);
        assertEquals(200, s.response().getStatus());
        s.awaitFirstByte(WAIT);
        return s;
    }


}
