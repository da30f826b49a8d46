package io.ssegateway.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.client.EventListener;
import io.ssegateway.client.EventStream;
import io.ssegateway.client.Gap;
import io.ssegateway.client.GatewayClient;
import io.ssegateway.client.GatewayException;
import io.ssegateway.client.Publication;
import io.ssegateway.client.Published;
import io.ssegateway.client.ServerEvent;
import io.ssegateway.client.StreamEnd;
import io.ssegateway.client.Subscription;
import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.MercureTokens;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.TrustingTls;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The Java client ({@code sse-gateway-client}) against the real jar, as a Java service would use
 * it: its own processes, memory and Redis brokers, nodes killed and drained under it.
 */
class JavaClientIT {

    /** What a listener saw, in order, with waits for the tests. */
    static final class Recorder implements EventListener {
        final List<ServerEvent> events = new CopyOnWriteArrayList<>();
        final List<Gap> gaps = new CopyOnWriteArrayList<>();
        final List<String> reconnects = new CopyOnWriteArrayList<>();
        final List<StreamEnd> ends = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger opens = new java.util.concurrent.atomic.AtomicInteger();
        private final long sleepMillisPerEvent;

        Recorder() {
            this(0);
        }

        Recorder(long sleepMillisPerEvent) {
            this.sleepMillisPerEvent = sleepMillisPerEvent;
        }

        @Override
        public void onEvent(ServerEvent event) {
            events.add(event);
            if (sleepMillisPerEvent > 0) {
                try {
                    Thread.sleep(sleepMillisPerEvent);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onOpen() {
            opens.incrementAndGet();
        }

        @Override
        public void onGap(Gap gap) {
            gaps.add(gap);
        }

        @Override
        public void onReconnecting(long delayMillis, String reason) {
            reconnects.add(reason);
        }

        @Override
        public void onClosed(StreamEnd end) {
            ends.add(end);
        }

        List<String> data() {
            return events.stream().map(ServerEvent::data).toList();
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(20);
        }
    }

    private static GatewayProcess node(int port, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(port), "--host", "127.0.0.1"));
        all.addAll(List.of(args));
        GatewayProcess p = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(), all);
        p.awaitHealthy(Duration.ofSeconds(30));
        return p;
    }

    private static GatewayClient client(GatewayProcess node) {
        return GatewayClient.builder(URI.create(node.url("/"))).build();
    }

    /**
     * Redis between two nodes: the publisher on node B, the subscriber on node A. A is SIGKILLed and
     * started again, then SIGTERMed (drain: server-shutdown) and started again, while events are
     * published all along: the subscriber receives each published event once, in order.
     */
    @Test
    void aSubscriptionResumesAcrossAKilledAndADrainedNodeWithNothingLostOrTwice() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            String[] settings = {"--redis-url", redis.url(), "--retry", "300ms", "--shutdown-retry-jitter", "300ms", "--drain-timeout", "3s"};
            int portA = GatewayProcess.freeFixedPort();
            GatewayProcess a = node(portA, settings);
            List<GatewayProcess> started = new ArrayList<>(List.of(a));
            ExecutorService publishing = Executors.newSingleThreadExecutor();
            try (GatewayProcess b = node(GatewayProcess.freePort(), settings);
                 GatewayClient publisher = client(b); GatewayClient subscriber = client(a)) {
                Recorder seen = new Recorder();
                EventStream stream = subscriber.subscribe(Subscription.to("orders/42"), seen);
                await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
                AtomicBoolean stop = new AtomicBoolean();
                List<String> published = new CopyOnWriteArrayList<>();
                Future<?> publisherDone = publishing.submit(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        publisher.publish(Publication.of("orders/42", "event " + i));
                        published.add("event " + i);
                        Thread.sleep(5);
                    }
                    return null;
                });
                await(() -> seen.events.size() >= 100, Duration.ofSeconds(10), "events before the kill");
                a.process().destroyForcibly();
                a.process().waitFor(10, TimeUnit.SECONDS);
                a = node(portA, settings);
                started.add(a);
                int beforeDrain = published.size();
                await(() -> seen.events.size() > beforeDrain + 100, Duration.ofSeconds(20), "events after the restart");
                assertEquals(0, a.terminate(Duration.ofSeconds(15)), "a drained node exits 0");
                a = node(portA, settings);
                started.add(a);
                int afterDrain = published.size();
                await(() -> seen.events.size() > afterDrain + 100, Duration.ofSeconds(20), "events after the drain");
                stop.set(true);
                publisherDone.get(30, TimeUnit.SECONDS);
                await(() -> seen.events.size() >= published.size(), Duration.ofSeconds(20), "every event");
                Thread.sleep(500);
                System.out.println("JavaClientIT: " + published.size() + " published, " + seen.events.size()
                    + " received across a SIGKILL and a drain; reconnects " + seen.reconnects);
                assertEquals(published, seen.data(), "each event once, in order");
                assertEquals(published.size(), new HashSet<>(seen.events.stream().map(ServerEvent::id).toList()).size());
                assertTrue(seen.reconnects.contains("server-shutdown"), "the drain was announced: " + seen.reconnects);
                assertTrue(seen.reconnects.size() >= 2, seen.reconnects.toString());
                assertEquals(List.of(), seen.gaps);
                stream.close();
            } finally {
                publishing.shutdownNow();
                for (GatewayProcess p : started) {
                    p.close();
                }
            }
        }
    }

    /**
     * Redis stalls (SIGSTOP) while a publish is on its way: the gateway answers 503
     * broker-outcome-unknown (or broker-unavailable), the client retries with the same key after
     * SIGCONT, and the subscriber receives the event once.
     */
    @Test
    void aPublishThatMetAStalledBrokerIsRetriedAndDeliveredOnce() throws Exception {
        try (RedisServer redis = RedisServer.start();
             GatewayProcess node = node(GatewayProcess.freePort(), "--redis-url", redis.url());
             GatewayClient gateway = GatewayClient.builder(URI.create(node.url("/"))).publishAttempts(20).build()) {
            Recorder seen = new Recorder();
            EventStream stream = gateway.subscribe(Subscription.to("idem"), seen);
            await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
            gateway.publish(Publication.of("idem", "warm"));
            redis.signal("STOP");
            ExecutorService caller = Executors.newSingleThreadExecutor();
            Future<Published> result;
            try {
                result = caller.submit(() -> gateway.publish(Publication.of("idem", "once")));
                Thread.sleep(4000);
                assertFalse(result.isDone(), "still retrying while Redis is stopped");
            } finally {
                redis.signal("CONT");
            }
            Published published = result.get(60, TimeUnit.SECONDS);
            caller.shutdown();
            await(() -> seen.events.size() >= 2, Duration.ofSeconds(10), "the event");
            Thread.sleep(1000);
            System.out.println("JavaClientIT: the publish took " + published.attempts() + " attempts");
            assertTrue(published.attempts() > 1, "it was retried");
            assertEquals(List.of("warm", "once"), seen.data());
            assertEquals(published.id(), seen.events.get(1).id());
        }
    }

    /**
     * Memory broker: a subscription that resumes after an id the history no longer holds gets the
     * gap first, then what is left; a refused subscription and a refused publish end at once,
     * without retries.
     */
    @Test
    void gapsAreSurfacedAndRefusalsAreNotRetried() throws Exception {
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--history-max-events", "5");
             GatewayClient gateway = client(node)) {
            String first = gateway.publish(Publication.of("news", "n0")).id();
            for (int i = 1; i < 20; i++) {
                gateway.publish(Publication.of("news", "n" + i).type("headline"));
            }
            Recorder seen = new Recorder();
            gateway.subscribe(Subscription.to("news").resumeAfter(first), seen);
            await(() -> seen.events.size() >= 5, Duration.ofSeconds(10), "what history holds");
            assertEquals(List.of("n15", "n16", "n17", "n18", "n19"), seen.data());
            assertEquals("headline", seen.events.get(0).type());
            assertEquals(1, seen.gaps.size());
            assertEquals("history-trimmed", seen.gaps.get(0).reason());
            assertEquals(first, seen.gaps.get(0).lastEventId());

            Recorder refused = new Recorder();
            EventStream bad = gateway.subscribe(Subscription.to("no spaces allowed"), refused);
            await(() -> !refused.ends.isEmpty(), Duration.ofSeconds(10), "the refusal");
            assertEquals(400, refused.ends.get(0).status());
            assertEquals("invalid-topic", refused.ends.get(0).error());
            assertEquals(List.of(), refused.reconnects);
            bad.close();
            assertEquals(1, refused.ends.size(), "closed once");

            GatewayException e = assertThrows(GatewayException.class, () -> gateway.publish(Publication.of("bad topic", "x")));
            assertEquals(400, e.status());
            assertEquals("invalid-topic", e.error());
            assertFalse(e.mayHaveBeenStored());
        }
    }

    /**
     * Envelope streams carry each event's topic; a listener slower than its stream holds back only
     * its own stream: the gateway closes it as a slow consumer, the client resumes from history,
     * and every event arrives once, in order.
     */
    @Test
    void aSlowListenerLosesNothingAndEnvelopesCarryTopics() throws Exception {
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--queue-max-bytes", "16384", "--retry", "200ms");
             GatewayClient gateway = client(node)) {
            Recorder slow = new Recorder(8);
            Recorder fast = new Recorder();
            EventStream slowStream = gateway.subscribe(Subscription.to("a", "b").envelope().handOff(16), slow);
            EventStream fastStream = gateway.subscribe(Subscription.to("a", "b").envelope(), fast);
            await(() -> slowStream.isOpen() && fastStream.isOpen(), Duration.ofSeconds(10), "both open");
            List<String> published = new ArrayList<>();
            // 8 MB: more than the socket buffers on both sides hold, so the slow stream's queue fills.
            String payload = "x".repeat(8000);
            for (int i = 0; i < 1000; i++) {
                String topic = i % 2 == 0 ? "a" : "b";
                gateway.publish(Publication.of(topic, i + " " + payload));
                published.add(topic + ":" + i + " " + payload);
            }
            await(() -> fast.events.size() >= 1000, Duration.ofSeconds(30), "the fast listener");
            await(() -> slow.events.size() >= 1000, Duration.ofSeconds(60), "the slow listener");
            Thread.sleep(300);
            System.out.println("JavaClientIT: the slow listener's stream reconnected " + slow.reconnects.size() + " times");
            assertEquals(published, fast.events.stream().map(e -> e.topic() + ":" + e.data()).toList());
            assertEquals(published, slow.events.stream().map(e -> e.topic() + ":" + e.data()).toList());
            assertFalse(slow.reconnects.isEmpty(), "the gateway closed the slow stream at least once");
            assertEquals(List.of(), slow.gaps);
        }
    }

    /**
     * A private topic with short-lived subscriber tokens: the gateway ends the stream when its
     * token expires, the client reconnects with the next token its supplier makes and resumes, and
     * nothing published meanwhile is lost or repeated. A 2 s token may arrive with less than the
     * second the gateway asks for (401 token-expired): the client then tries the supplier's next.
     */
    @Test
    void aRotatingTokenKeepsAPrivateStreamGoingAcrossExpiries() throws Exception {
        java.nio.file.Path secretFile = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "client-secret-", "");
        String secret = "client-test-secret-of-at-least-32-bytes";
        java.nio.file.Files.writeString(secretFile, secret);
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--auth-hs256-secret-file", secretFile.toString(),
                "--private-topics", "user/**", "--auth-clock-skew", "0s", "--retry", "200ms");
             GatewayClient publisher = GatewayClient.builder(URI.create(node.url("/")))
                 .token(() -> token(secret, "publish", "user/**", 60)).build();
             GatewayClient subscriber = GatewayClient.builder(URI.create(node.url("/")))
                 .token(() -> token(secret, "subscribe", "user/alice", 2)).build()) {
            Recorder seen = new Recorder();
            EventStream stream = subscriber.subscribe(Subscription.to("user/alice"), seen);
            await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
            List<String> published = new ArrayList<>();
            long until = System.nanoTime() + 6_000_000_000L;
            for (int i = 0; System.nanoTime() < until; i++) {
                publisher.publish(Publication.of("user/alice", "note " + i));
                published.add("note " + i);
                Thread.sleep(20);
            }
            await(() -> seen.events.size() >= published.size(), Duration.ofSeconds(10), "every note");
            Thread.sleep(300);
            System.out.println("JavaClientIT: " + published.size() + " notes across token expiries; reconnects " + seen.reconnects);
            assertEquals(published, seen.data());
            assertTrue(seen.reconnects.size() >= 2, "the stream was ended by its token at least twice: " + seen.reconnects);
            // A token that expired on its way (JWT times are whole seconds) is answered 401 token-expired; the next is tried.
            assertTrue(seen.reconnects.stream().allMatch(r -> r.equals("stream-ended") || r.equals("token-expired")), seen.reconnects.toString());
            assertEquals(List.of(), seen.ends);
        }
    }

    private static String token(String secret, String claim, String pattern, int ttlSeconds) {
        try {
            com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256),
                new com.nimbusds.jwt.JWTClaimsSet.Builder().subject("test")
                    .expirationTime(java.util.Date.from(java.time.Instant.now().plusSeconds(ttlSeconds)))
                    .claim(claim, List.of(pattern)).build());
            jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A full node answers server-busy; the client waits the delay it names and gets in once there is room. */
    @Test
    void aBusyNodesAnswerIsRetriedUntilThereIsRoom() throws Exception {
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--max-streams", "1", "--retry", "500ms");
             GatewayClient gateway = client(node)) {
            Recorder first = new Recorder();
            EventStream holder = gateway.subscribe(Subscription.to("room"), first);
            await(holder::isOpen, Duration.ofSeconds(10), "the first stream opens");
            Recorder second = new Recorder();
            EventStream waiting = gateway.subscribe(Subscription.to("room"), second);
            await(() -> second.reconnects.size() >= 2, Duration.ofSeconds(10), "refused twice");
            assertFalse(waiting.isOpen());
            assertEquals(List.of("server-busy"), second.reconnects.stream().distinct().toList());
            holder.close();
            await(waiting::isOpen, Duration.ofSeconds(10), "the second gets in once there is room");
            gateway.publish(Publication.of("room", "in"));
            await(() -> second.events.size() == 1, Duration.ofSeconds(10), "the event");
            assertEquals(List.of(), second.ends);
        }
    }

    /**
     * Publishing through the Mercure door with a Mercure publish grant: the client returns the
     * update's id, and a native subscriber of the same topic receives the copy, with its type.
     */
    @Test
    void aPublicationThroughTheMercureDoorReachesNativeSubscribers() throws Exception {
        MercureTokens tokens = MercureTokens.create(java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "client-mercure-"));
        String grant = tokens.token(MercureTokens.detail(List.of("publish"), "books/1"));
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--mercure", "true", "--mercure-url", MercureTokens.HUB,
                "--mercure-issuers", MercureTokens.ISSUER, "--auth-hs256-secret-file", tokens.secretFile().toString());
             GatewayClient gateway = GatewayClient.builder(URI.create(node.url("/"))).token(() -> grant).build()) {
            Recorder seen = new Recorder();
            EventStream stream = gateway.subscribe(Subscription.to("books/1"), seen);
            await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
            Published update = gateway.publish(Publication.of("books/1", "{\"title\":\"Dune\"}").type("book").mercure());
            assertFalse(update.id().isBlank(), "the update's id, as the Mercure door answers it");
            await(() -> seen.events.size() == 1, Duration.ofSeconds(10), "the copy");
            assertEquals("{\"title\":\"Dune\"}", seen.events.get(0).data());
            assertEquals("book", seen.events.get(0).type());
            GatewayException refused = assertThrows(GatewayException.class,
                () -> gateway.publish(Publication.of("books/2", "x").mercure()));
            assertEquals(403, refused.status(), refused.getMessage());
        }
    }

    /** A publish to a node that is not listening yet is retried on connection failure until it is. */
    @Test
    void aPublishRetriesUntilTheNodeListens() throws Exception {
        int port = GatewayProcess.freeFixedPort();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (GatewayClient gateway = GatewayClient.builder(URI.create("http://127.0.0.1:" + port + "/")).publishAttempts(20).build()) {
            Future<Published> result = caller.submit(() -> gateway.publish(Publication.of("late", "first")));
            Thread.sleep(500);
            assertFalse(result.isDone(), "retrying while nothing listens");
            try (GatewayProcess node = node(port)) {
                Published published = result.get(30, TimeUnit.SECONDS);
                System.out.println("JavaClientIT: the publish to a starting node took " + published.attempts() + " attempts");
                assertTrue(published.attempts() > 1);
                long start = System.nanoTime();
                GatewayException refused = assertThrows(GatewayException.class,
                    () -> gateway.publish(Publication.of("late", "x").idempotencyKey("not valid")));
                assertEquals("invalid-idempotency-key", refused.error());
                assertTrue(System.nanoTime() - start < 2_000_000_000L, "a 400 is answered at once, not retried");
            }
        } finally {
            caller.shutdownNow();
        }
    }

    /**
     * A connection that goes silent without a FIN or RST (the node frozen with SIGSTOP: the kernel
     * keeps the connection up, nothing arrives, not even a heartbeat) is taken for dead after the
     * idle timeout and reopened; once the node answers again the stream resumes.
     */
    @Test
    void aStreamThatGoesSilentIsTakenForDeadAndReopened() throws Exception {
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--heartbeat", "1s");
             GatewayClient gateway = GatewayClient.builder(URI.create(node.url("/"))).idleTimeout(Duration.ofSeconds(3))
                 .requestTimeout(Duration.ofSeconds(2)).maxBackoff(Duration.ofSeconds(2)).build()) {
            Recorder seen = new Recorder();
            EventStream stream = gateway.subscribe(Subscription.to("quiet"), seen);
            await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
            gateway.publish(Publication.of("quiet", "before"));
            Thread.sleep(2500);
            assertEquals(List.of(), seen.reconnects, "heartbeats keep a quiet stream alive");
            node.signal("STOP");
            long frozen = System.nanoTime();
            try {
                await(() -> seen.reconnects.contains("idle"), Duration.ofSeconds(10), "the silent stream is noticed");
                System.out.println("JavaClientIT: a silent stream was taken for dead after "
                    + (System.nanoTime() - frozen) / 1_000_000 + " ms");
            } finally {
                node.signal("CONT");
            }
            await(stream::isOpen, Duration.ofSeconds(15), "it reopens once the node answers");
            gateway.publish(Publication.of("quiet", "after"));
            await(() -> seen.events.size() == 2, Duration.ofSeconds(10), "the event after");
            assertEquals(List.of("before", "after"), seen.data());
        }
    }

    /** Over TLS the client speaks HTTP/2 to the jar (ALPN), for streams and publishing alike. */
    @Test
    void overTlsTheClientSpeaksHttp2() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of("target"), "client-tls-");
        Certificates.Pair pair = Certificates.create(dir, "gateway", "rsa", "localhost");
        int port = GatewayProcess.freePort();
        try (GatewayProcess node = GatewayProcess.launch(System.getProperty("java.home"), port, Map.of(), List.of("--port",
                Integer.toString(port), "--host", "127.0.0.1", "--access-log", "true",
                "--tls-cert-file", pair.cert().toString(), "--tls-key-file", pair.key().toString()))) {
            URI base = URI.create("https://127.0.0.1:" + port + "/");
            try (GatewayClient gateway = GatewayClient.builder(base).sslContext(TrustingTls.context()).build()) {
                await(() -> {
                    try {
                        gateway.publish(Publication.of("warm", "x"));
                        return true;
                    } catch (GatewayException notYet) {
                        return false;
                    }
                }, Duration.ofSeconds(30), "the node serves");
                Recorder seen = new Recorder();
                EventStream stream = gateway.subscribe(Subscription.to("secure"), seen);
                await(stream::isOpen, Duration.ofSeconds(10), "the stream opens");
                gateway.publish(Publication.of("secure", "over h2"));
                await(() -> seen.events.size() == 1, Duration.ofSeconds(10), "the event");
                stream.close();
                await(() -> {
                    try {
                        return node.output().contains("\"GET /events HTTP/2.0\" 200");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }, Duration.ofSeconds(10), "the access log's line for the stream");
                assertTrue(node.output().contains("\"POST /publish HTTP/2.0\" 200"), node.output());
                assertEquals(List.of("over h2"), seen.data());
            }
        }
    }

    /** A thousand subscriptions in one JVM take a few threads, not one each, and all get a broadcast. */
    @Test
    void aThousandSubscriptionsTakeAFewThreads() throws Exception {
        int subscriptions = 1000;
        try (GatewayProcess node = node(GatewayProcess.freePort(), "--max-streams-per-client", "0")) {
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            try (GatewayClient gateway = client(node)) {
                CountDownLatch all = new CountDownLatch(subscriptions);
                List<EventStream> streams = new ArrayList<>();
                for (int i = 0; i < subscriptions; i++) {
                    streams.add(gateway.subscribe(Subscription.to("broadcast"), event -> all.countDown()));
                }
                await(() -> streams.stream().allMatch(EventStream::isOpen), Duration.ofSeconds(60), "all open");
                int threadsOpen = ManagementFactory.getThreadMXBean().getThreadCount();
                gateway.publish(Publication.of("broadcast", "to all"));
                assertTrue(all.await(30, TimeUnit.SECONDS), "every subscription got it: " + all.getCount() + " missing");
                System.out.println("JavaClientIT: " + subscriptions + " subscriptions: threads " + threadsBefore + " -> " + threadsOpen);
                assertTrue(threadsOpen - threadsBefore <= 12, threadsBefore + " -> " + threadsOpen);
            }
        }
    }
}
