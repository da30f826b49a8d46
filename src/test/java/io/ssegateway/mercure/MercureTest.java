package io.ssegateway.mercure;

import static io.ssegateway.testing.MercureHttp.enc;
import static io.ssegateway.testing.MercureHttp.send;
import static io.ssegateway.testing.MercureTokens.detail;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.MercureHttp;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Mercure door of a real gateway (memory broker, real sockets): subscribe, publish, tokens,
 * private updates, the draft's errors, reconciliation, and native events reaching Mercure subscribers.
 */
class MercureTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(500);
    private static final String PATH = "/.well-known/mercure";

    @TempDir
    Path dir;
    private MercureTokens tokens;
    private TestGateway gw;
    private HttpClient http;
    private String publisher;

    @BeforeEach
    void start() throws Exception {
        tokens = MercureTokens.create(dir);
        gw = TestGateway.start(tokens.settings());
        http = Clients.started(64);
        publisher = tokens.token(detail(List.of("publish"), "*"));
    }

    @AfterEach
    void stop() throws Exception {
        http.stop();
        gw.close();
    }

    @Test
    void updatesReachMatchingSubscribersOnceWithTheirIdTypeRetryAndDataLines() throws Exception {
        try (SseClient both = subscribe("match=https://example.com/books/1&match_urlpattern=https://example.com/books/:id");
             SseClient other = subscribe("match_urlpattern=https://example.com/users/:id")) {
            HttpResponse<String> r = publish(publisher, "topic", "https://example.com/books/1", "data", "line 1\r\nline 2\rline 3",
                "id", "urn:uuid:book-1-v2", "type", "book", "retry", "2500", "unknown-field", "ignored");
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers().toString());
            assertEquals("urn:uuid:book-1-v2", r.body());
            SseEvent e = both.next(WAIT, "the update, once although two matchers match");
            assertEquals("urn:uuid:book-1-v2", e.id());
            assertEquals("book", e.event());
            assertEquals("2500", e.retry());
            assertEquals("line 1\nline 2\nline 3", e.data());
            both.assertNoEvent(QUIET);
            other.assertNoEvent(Duration.ZERO);

            // An alternate topic routes too; the hub makes the id when the publisher gives none.
            String id = publish(publisher, "topic", "https://example.com/catalog", "topic", "https://example.com/books/7",
                "data", "x").body();
            assertTrue(id.startsWith("#"), id);
            assertEquals(id, both.next(WAIT, "update by its alternate topic").id());
        }
    }

    @Test
    void privateUpdatesGoOnlyToSubscribersWhoseTokenGrantsOneOfTheirTopics() throws Exception {
        String usersToken = tokens.token(detail(List.of("subscribe"), "urlpattern:https://example.com/users/42/*"));
        String booksToken = tokens.token(detail(List.of("subscribe"), "https://example.com/books/2"));
        String query = "match_urlpattern=https://example.com/books/:id";
        try (SseClient anonymous = subscribe(query);
             SseClient viaAlternate = subscribe(query, Map.of("Authorization", "Bearer " + usersToken));
             SseClient viaCookie = subscribe(query, Map.of("Cookie", "__Secure-mercure_access_token=" + booksToken));
             SseClient headerWins = subscribe(query, Map.of("Authorization", "Bearer " + usersToken,
                 "Cookie", "__Secure-mercure_access_token=not-a-token"))) {
            String id1 = publish(publisher, "topic", "https://example.com/books/1",
                "topic", "https://example.com/users/42/books/1", "private", "", "data", "secret 1").body();
            String id2 = publish(publisher, "topic", "https://example.com/books/2", "private", "on", "data", "secret 2").body();
            String id3 = publish(publisher, "topic", "https://example.com/books/3", "data", "public 3").body();
            assertEquals(id1, viaAlternate.next(WAIT, "private update granted by its alternate topic").id());
            assertEquals(id3, viaAlternate.next(WAIT, "public update").id());
            assertEquals(id1, headerWins.next(WAIT, "the header's token, the cookie ignored").id());
            assertEquals(id2, viaCookie.next(WAIT, "private update granted through the cookie").id());
            assertEquals(id3, viaCookie.next(WAIT, "public update").id());
            assertEquals(id3, anonymous.next(WAIT, "only the public update").id());
            anonymous.assertNoEvent(QUIET);
            viaCookie.assertNoEvent(Duration.ZERO);
        }
    }

    @Test
    void tokensAreCheckedAsAccessTokensAndRefusedWithBearerChallenges() throws Exception {
        List<Map<String, Object>> all = List.of(detail(List.of("publish"), "*"));
        Instant hour = Instant.now().plusSeconds(3600);
        Map<String, String> bad = new HashMap<>();
        bad.put("typ JWT (an ID token, not an access token)", tokens.sign("JWT", MercureTokens.claims(hour,
            MercureTokens.HUB, MercureTokens.ISSUER, all)));
        bad.put("no typ", tokens.sign(null, MercureTokens.claims(hour, MercureTokens.HUB, MercureTokens.ISSUER, all)));
        bad.put("another audience", tokens.sign("at+jwt", MercureTokens.claims(hour, "https://other/.well-known/mercure",
            MercureTokens.ISSUER, all)));
        bad.put("untrusted issuer", tokens.sign("at+jwt", MercureTokens.claims(hour, MercureTokens.HUB, "https://evil", all)));
        bad.put("expired", tokens.sign("at+jwt", MercureTokens.claims(Instant.now().minusSeconds(60), MercureTokens.HUB,
            MercureTokens.ISSUER, all)));
        bad.put("no exp", tokens.sign("at+jwt", MercureTokens.claims(null, MercureTokens.HUB, MercureTokens.ISSUER, all)));
        bad.put("unknown match_type", tokens.sign("at+jwt", MercureTokens.claims(hour, MercureTokens.HUB,
            MercureTokens.ISSUER, List.of(Map.of("type", MercureTokens.DETAIL_TYPE, "actions", List.of("publish"),
                "topics", List.of(Map.of("match", "x", "match_type", "regex")))))));
        bad.put("a detail that is not an object", tokens.sign("at+jwt", MercureTokens.claims(hour, MercureTokens.HUB,
            MercureTokens.ISSUER, List.of("publish"))));
        bad.put("alg none", unsigned(MercureTokens.claims(hour, MercureTokens.HUB, MercureTokens.ISSUER, all).build()));
        for (Map.Entry<String, String> t : bad.entrySet()) {
            HttpResponse<String> r = publish(t.getValue(), "topic", "x", "data", "d");
            assertEquals(401, r.statusCode(), t.getKey() + ": " + r.body());
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.startsWith("Bearer ") && challenge.contains("error=\"invalid_token\"")
                && challenge.contains("resource_metadata=\"https://hub.test/.well-known/oauth-protected-resource"
                    + "/.well-known/mercure\""), t.getKey() + ": " + challenge);
        }
        // A type in any case, with or without application/: still an access token.
        assertEquals(200, publish(tokens.sign("application/AT+JWT", MercureTokens.claims(hour, MercureTokens.HUB,
            MercureTokens.ISSUER, all)), "topic", "x").statusCode());

        HttpResponse<String> none = publish(null, "topic", "x");
        assertEquals(401, none.statusCode());
        String challenge = none.headers().firstValue("WWW-Authenticate").orElse("");
        assertTrue(challenge.startsWith("Bearer ") && !challenge.contains("error="), challenge);

        HttpResponse<String> emptyBearer = send(post(Map.of("topic", "x")).header("Authorization", "Bearer "));
        assertEquals(400, emptyBearer.statusCode());
        assertTrue(emptyBearer.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"invalid_request\""));
        // Basic authentication of the site in front is not a Mercure token: as if none were sent.
        assertEquals(401, send(post(Map.of("topic", "x")).header("Authorization", "Basic dXNlcjpwdw==")).statusCode());

        String booksOnly = tokens.token(detail(List.of("publish"), "urlpattern:https://example.com/books/:id"));
        HttpResponse<String> partly = publish(booksOnly, "topic", "https://example.com/books/1", "topic", "https://example.com/x");
        assertEquals(403, partly.statusCode(), "every topic must be granted");
        assertTrue(partly.headers().firstValue("WWW-Authenticate").orElse("").contains("error=\"insufficient_scope\""));
        String subscribeOnly = tokens.token(detail(List.of("subscribe", "future-action"), "*"));
        assertEquals(403, publish(subscribeOnly, "topic", "x").statusCode());

        // A token is refused on a subscription too, never ignored.
        try (SseClient s = subscribe("match=x", Map.of("Authorization", "Bearer " + bad.get("expired")))) {
            assertEquals(401, s.response().getStatus());
        }
    }

    /** The gateway's other auth keys verify Mercure tokens too: an EC public key in PEM, and a JWK Set by kid. */
    @Test
    void pemAndJwksKeysVerifyAccessTokens() throws Exception {
        var ec = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).keyID("e1").generate();
        var rsa = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("r1").generate();
        java.nio.file.Path pem = java.nio.file.Files.writeString(dir.resolve("ec.pem"), "-----BEGIN PUBLIC KEY-----\n"
            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.UTF_8))
                .encodeToString(ec.toECPublicKey().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        java.nio.file.Path jwks = java.nio.file.Files.writeString(dir.resolve("jwks.json"),
            new com.nimbusds.jose.jwk.JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString());
        String ecToken = signed(new com.nimbusds.jose.crypto.ECDSASigner(ec), com.nimbusds.jose.JWSAlgorithm.ES256, "e1");
        String rsaToken = signed(new com.nimbusds.jose.crypto.RSASSASigner(rsa), com.nimbusds.jose.JWSAlgorithm.RS256, "r1");
        String[] common = {"mercure", "true", "mercure-url", MercureTokens.HUB, "mercure-issuers", MercureTokens.ISSUER};
        gw.close();
        gw = TestGateway.start(concat(common, "auth-public-key-file", pem.toString()));
        assertEquals(200, publish(ecToken, "topic", "k").statusCode());
        assertEquals(401, publish(rsaToken, "topic", "k").statusCode(), "signed by a key the gateway does not have");
        gw.close();
        gw = TestGateway.start(concat(common, "auth-jwks-file", jwks.toString()));
        assertEquals(200, publish(ecToken, "topic", "k").statusCode());
        assertEquals(200, publish(rsaToken, "topic", "k").statusCode());
    }

    private static String signed(com.nimbusds.jose.JWSSigner signer, com.nimbusds.jose.JWSAlgorithm alg, String kid)
        throws Exception {
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(alg).keyID(kid)
            .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
            MercureTokens.claims(Instant.now().plusSeconds(600), MercureTokens.HUB, MercureTokens.ISSUER,
                List.of(detail(List.of("publish"), "*"))).build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void badPublicationsGetTheDraftsStatusAndNothingIsStored() throws Exception {
        try (SseClient everything = subscribe("match=*")) {
            Map<String, Integer> cases = new java.util.LinkedHashMap<>();
            cases.put("data=no+topic", 400);
            cases.put("topic=*", 400);
            cases.put("topic=%2F.well-known%2Fmercure%2Fsubscriptions%2Fx", 400);
            cases.put("topic=https%3A%2F%2Fhub.test%2F.well-known%2Fmercure", 400);
            cases.put("topic=%2F.well-known%2F%256Dercure%2Fx", 400);
            cases.put("topic=%2Fa%2F..%2F.well-known%2Fmercure%2Fx", 400);
            cases.put("topic=a%0Ab", 400);
            cases.put("topic=a%E2%80%AEb", 400);
            cases.put("topic=x&id=%23mine", 400);
            cases.put("topic=x&id=earliest", 400);
            cases.put("topic=x&id=a%0Did", 400);
            cases.put("topic=x&type=mercure", 400);
            cases.put("topic=x&type=a%0Ab", 400);
            cases.put("topic=x&retry=10s", 400);
            cases.put("topic=x&retry=-1", 400);
            cases.put("topic=x&data=%ZZ", 400);
            cases.put("topic=x&data=%C3%28", 400);
            cases.put("topic=" + "a".repeat(3000), 413);
            cases.put("topic=a&".repeat(40) + "data=d", 413);
            for (Map.Entry<String, Integer> c : cases.entrySet()) {
                HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(gw.url(PATH)))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header("Authorization", "Bearer " + publisher)
                    .POST(HttpRequest.BodyPublishers.ofString(c.getKey())));
                assertEquals(c.getValue(), r.statusCode(), c.getKey() + " -> " + r.body());
                assertTrue(r.body().startsWith("{\"error\":"), r.body());
            }
            HttpResponse<String> json = send(HttpRequest.newBuilder(URI.create(gw.url(PATH)))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + publisher)
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"x\"}")));
            assertEquals(415, json.statusCode());
            HttpResponse<String> big = publish(publisher, "topic", "x", "data", "d".repeat(70_000));
            assertEquals(413, big.statusCode());
            everything.assertNoEvent(QUIET);
            // And the hub still works: a good publication after all of them is delivered.
            String id = publish(publisher, "topic", "x", "data", "fine").body();
            assertEquals(id, everything.next(WAIT, "a good update").id());
        }
    }

    @Test
    void badSubscriptionsGet400() throws Exception {
        for (String q : List.of("", "topic=x", "matchx=x", "MATCH=x", "match_regex=x", "match_urlpattern=(a",
            "match_urlpattern=https://e.com/:id/:id", "match_urlpattern=https://e.com/((a)\\1)", "match=a%0Ab",
            "match=" + "a".repeat(2100), "match=a&".repeat(40), "match=x&last_event_id=a%0Ab",
            // Its compiled program would fill the heap: refused before it is built.
            "match_urlpattern=https://e.com/((?:(?:a%7B1000%7D)%7B1000%7D)%7B1000%7D)")) {
            HttpResponse<String> r = gw.get(PATH + "?" + q.replace("\\", "%5C"));
            assertEquals(400, r.statusCode(), q + " -> " + r.body());
        }
    }

    @Test
    void resumesAfterPublisherAndHubIdsEarliestAndUnknownIds() throws Exception {
        String a = publish(publisher, "topic", "t", "id", "urn:a", "data", "A").body();
        String b = publish(publisher, "topic", "t", "data", "B").body();
        String a2 = publish(publisher, "topic", "t", "id", "urn:a", "data", "A again").body();
        publish(publisher, "topic", "other", "data", "not wanted");
        String c = publish(publisher, "topic", "t", "id", "urn:c", "data", "C").body();

        try (SseClient s = subscribe("match=t", Map.of("Last-Event-ID", "urn:a"))) {
            assertEquals("urn:a", s.responseHeaders().get("Mercure-Last-Event-ID"), "a reused id resolves to its first update");
            assertEquals(List.of(b, a2, c), ids(s.take(3, WAIT)));
        }
        try (SseClient s = subscribe("match=t&last_event_id=" + enc(b))) {
            assertEquals(b, s.responseHeaders().get("Mercure-Last-Event-ID"));
            assertEquals(List.of(a2, c), ids(s.take(2, WAIT)));
        }
        try (SseClient s = subscribe("match=t&last_event_id=urn:nope", Map.of("Last-Event-ID", "urn:c"))) {
            assertEquals("urn:c", s.responseHeaders().get("Mercure-Last-Event-ID"), "the header wins over the query");
            s.assertNoEvent(QUIET);
        }
        try (SseClient s = subscribe("match=t&last_event_id=earliest")) {
            assertEquals("earliest", s.responseHeaders().get("Mercure-Last-Event-ID"));
            assertEquals(List.of(a, b, a2, c), ids(s.take(4, WAIT)));
        }
        try (SseClient s = subscribe("match=t&last_event_id=urn:never-published")) {
            assertEquals("earliest", s.responseHeaders().get("Mercure-Last-Event-ID"));
            SseEvent gap = s.next(WAIT, "the in-band gap event an EventSource can read");
            assertEquals("gap", gap.event());
            assertTrue(gap.data().contains("unknown-id"), gap.data());
            assertEquals(List.of(a, b, a2, c), ids(s.take(4, WAIT)));
        }
        try (SseClient s = subscribe("match=t")) {
            assertNull(s.responseHeaders().get("Mercure-Last-Event-ID"), "only a resuming request gets the header");
        }
    }

    @Test
    void aPublicationThroughEitherDoorReachesSubscribersOfBoth() throws Exception {
        gw.close();
        gw = TestGateway.start(tokens.settings("private-topics", "secret/**"));
        String nativeToken = tokens.sign("JWT", MercureTokens.claims(Instant.now().plusSeconds(60), "any", "any", List.of())
            .claim("publish", List.of("**")));
        try (SseClient mercure = subscribe("match_urlpattern=" + enc("https://example.com/orders/:id") + "&match=secret/1");
             SseClient nativeStream = SseClient.connect(http, gw.url("/events?topic=https://example.com/orders/2"))) {
            nativeStream.awaitFirstByte(WAIT);
            HttpResponse<String> nativePublish = send(HttpRequest.newBuilder(URI.create(
                gw.url("/publish?topic=https://example.com/orders/1&event=created")))
                .header("Authorization", "Bearer " + nativeToken).POST(HttpRequest.BodyPublishers.ofString("native")));
            assertEquals(200, nativePublish.statusCode(), nativePublish.body());
            SseEvent copied = mercure.next(WAIT, "the native publication, matched by a URL pattern");
            assertTrue(copied.id().startsWith("#"), copied.id());
            assertEquals("created", copied.event());
            assertEquals("native", copied.data());

            String mercureId = publish(publisher, "topic", "https://example.com/orders/2", "type", "updated",
                "data", "from Mercure", "id", "urn:order:2").body();
            assertEquals(mercureId, mercure.next(WAIT, "the Mercure update").id());
            SseEvent nativeCopy = nativeStream.next(WAIT, "the Mercure update at the native door");
            assertEquals("updated", nativeCopy.event());
            assertEquals("from Mercure", nativeCopy.data());

            // Private updates stay at the Mercure door; native-private topics stay private at the Mercure door.
            publish(publisher, "topic", "https://example.com/orders/2", "private", "on", "data", "private");
            HttpResponse<String> secret = send(HttpRequest.newBuilder(URI.create(gw.url("/publish?topic=secret/1")))
                .header("Authorization", "Bearer " + nativeToken).POST(HttpRequest.BodyPublishers.ofString("secret")));
            assertEquals(200, secret.statusCode(), secret.body());
            nativeStream.assertNoEvent(QUIET);
            mercure.assertNoEvent(Duration.ZERO);
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpires() throws Exception {
        String shortLived = tokens.sign("at+jwt", MercureTokens.claims(Instant.now().plusSeconds(2), MercureTokens.HUB,
            MercureTokens.ISSUER, List.of(detail(List.of("subscribe"), "*"))));
        try (SseClient s = subscribe("match=x", Map.of("Authorization", "Bearer " + shortLived))) {
            assertEquals(200, s.response().getStatus());
            s.done().get(15, java.util.concurrent.TimeUnit.SECONDS);
        }
    }

    @Test
    void subscriptionEventsAndTheSubscriptionApiFollowSubscriptions() throws Exception {
        gw.close();
        gw = TestGateway.start(tokens.settings("mercure-subscriptions", "true"));
        String pattern = "/.well-known/mercure/subscriptions/:type/:match/:subscriber";
        String watcherToken = tokens.sign("at+jwt", MercureTokens.claims(Instant.now().plusSeconds(3600), MercureTokens.HUB,
            MercureTokens.ISSUER, List.of(detail(List.of("subscribe"), "urlpattern:" + pattern, "urlpattern:/.well-known/mercure/subscriptions{/*}?"))));
        String withPayload = tokens.sign("at+jwt", MercureTokens.claims(Instant.now().plusSeconds(3600), MercureTokens.HUB,
            MercureTokens.ISSUER, List.of(Map.of("type", MercureTokens.DETAIL_TYPE, "actions", List.of("subscribe"),
                "topics", List.of(Map.of("match", "*")), "payload", Map.of("tenant", "t1")))));
        try (SseClient watcher = subscribe("match_urlpattern=" + enc(pattern), Map.of("Authorization", "Bearer " + watcherToken));
             SseClient anonymousWatcher = subscribe("match_urlpattern=" + enc(pattern))) {
            String subscriber;
            try (SseClient s = subscribe("match=" + enc("https://example.com/a"), Map.of("Authorization", "Bearer " + withPayload))) {
                SseEvent created = eventAbout(watcher, "https://example.com/a", true);
                assertEquals("mercure", created.event());
                var doc = io.ssegateway.testing.Json.parse(created.data());
                assertEquals("subscription", doc.getString("type"));
                assertEquals("exact", doc.getString("match_type"));
                assertEquals("https://example.com/a", doc.getString("match"));
                assertTrue(doc.getBoolean("active"));
                assertEquals("t1", doc.getJsonObject("payload").getString("tenant"));
                subscriber = doc.getString("subscriber");
                assertTrue(subscriber.startsWith("urn:uuid:"), subscriber);
                String topic = "/.well-known/mercure/subscriptions/exact/https%3A%2F%2Fexample.com%2Fa/"
                    + subscriber.replace(":", "%3A");
                assertEquals(topic, doc.getString("id"));

                HttpResponse<String> all = gw.get(PATH + "/subscriptions", Map.of("Authorization", "Bearer " + watcherToken));
                assertEquals(200, all.statusCode(), all.body());
                assertTrue(all.body().contains(topic), all.body());
                assertTrue(all.headers().firstValue("Link").orElse("").contains("rel=\"mercure\"; last-event-id=\"#"),
                    all.headers().toString());
                HttpResponse<String> one = gw.get(topic, Map.of("Authorization", "Bearer " + watcherToken));
                assertEquals(200, one.statusCode(), one.body());
                assertEquals(subscriber, io.ssegateway.testing.Json.parse(one.body()).getString("subscriber"));
                HttpResponse<String> byMatcher = gw.get(PATH + "/subscriptions/exact/https%3a%2f%2fexample.com%2fa",
                    Map.of("Authorization", "Bearer " + watcherToken));
                assertTrue(byMatcher.body().contains(subscriber), "lower-case escapes name the same matcher: " + byMatcher.body());
                assertEquals(401, gw.get(PATH + "/subscriptions").statusCode());
                assertEquals(403, gw.get(PATH + "/subscriptions", Map.of("Authorization", "Bearer " + publisher)).statusCode());
            }
            SseEvent ended = eventAbout(watcher, "https://example.com/a", false);
            assertTrue(ended.data().contains(subscriber), ended.data());
            anonymousWatcher.assertNoEvent(Duration.ZERO);
            HttpResponse<String> gone = gw.get(PATH + "/subscriptions/exact/https%3A%2F%2Fexample.com%2Fa/"
                + enc(subscriber), Map.of("Authorization", "Bearer " + watcherToken));
            assertEquals(404, gone.statusCode(), gone.body());
        }
        // Subscription events are the hub's own: no publisher may forge them.
        assertEquals(400, publish(publisher, "topic", "/.well-known/mercure/subscriptions/exact/x/y", "type", "mercure").statusCode());
    }

    @Test
    void protectedResourceMetadataNamesTheResource() throws Exception {
        HttpResponse<String> r = gw.get("/.well-known/oauth-protected-resource/.well-known/mercure");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"resource\":\"https://hub.test/.well-known/mercure\""), r.body());
        assertTrue(r.body().contains("https://mercure.rocks/authorization-detail"), r.body());
        assertTrue(r.body().contains("\"bearer_methods_supported\":[\"header\"]"), "no query-string tokens: " + r.body());
    }

    // ---- helpers ----

    /** The next subscription event of {@code match} with {@code active}; others (the watchers' own) are skipped. */
    private static SseEvent eventAbout(SseClient watcher, String match, boolean active) throws Exception {
        while (true) {
            SseEvent e = watcher.next(WAIT, "subscription event of " + match + " active " + active);
            var doc = io.ssegateway.testing.Json.parse(e.data());
            if (doc.getString("match").equals(match) && doc.getBoolean("active") == active) {
                return e;
            }
        }
    }

    private SseClient subscribe(String query) throws Exception {
        return subscribe(query, Map.of());
    }

    private SseClient subscribe(String query, Map<String, String> headers) throws Exception {
        SseClient s = SseClient.connect(http, gw.url(PATH + "?" + query), headers);
        if (s.response().getStatus() == 200) {
            s.awaitFirstByte(WAIT);
        }
        return s;
    }





    private HttpResponse<String> publish(String token, String... fields) throws Exception {
        return MercureHttp.publish(gw.url(PATH), token, fields);
    }

    private HttpRequest.Builder post(Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(gw.url(PATH))).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(MercureHttp.form(fields.entrySet().stream()
                .flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue())).toArray(String[]::new))));
    }

    private static List<String> ids(List<SseEvent> events) {
        return events.stream().map(SseEvent::id).toList();
    }

    private static String unsigned(com.nimbusds.jwt.JWTClaimsSet claims) {
        return new com.nimbusds.jwt.PlainJWT(new com.nimbusds.jose.PlainHeader.Builder()
            .type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(), claims).serialize();
    }
}
