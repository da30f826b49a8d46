package io.ssegateway.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Json;
import io.ssegateway.testing.TestGateway;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * OkHttp's {@code EventSource} (okhttp-sse: Android apps, many JVM services) against the node, over
 * HTTP/1.1 and over cleartext HTTP/2 with prior knowledge, as such a client meets it: the published
 * events and nothing else (no event at connect, none for heartbeats), flow control past the first
 * windows, a resume that the application asks for with {@code Last-Event-ID} (OkHttp does not
 * reconnect by itself), the busy answer and {@code server-shutdown} as events, and a client's
 * mistake as a 4xx with the JSON error every refusal has.
 */
class OkHttpSseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for two heartbeats at the 1 s interval the node is started with. */
    private static final Duration TWO_HEARTBEATS = Duration.ofMillis(2300);

    /** The HTTP versions tested: OkHttp speaks HTTP/2 without TLS only with prior knowledge. */
    enum Version {
        HTTP_1_1(Protocol.HTTP_1_1),
        H2C(Protocol.H2_PRIOR_KNOWLEDGE);

        final Protocol protocol;

        Version(Protocol protocol) {
            this.protocol = protocol;
        }
    }

    private final List<OkHttpClient> clients = new ArrayList<>();
    private TestGateway gw;

    @AfterEach
    void stop() throws Exception {
        for (OkHttpClient client : clients) {
            client.dispatcher().executorService().shutdownNow();
            client.connectionPool().evictAll();
        }
        if (gw != null) {
            gw.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void getsThePublishedEventsAndNothingElseThenResumesWithLastEventId(Version version) throws Exception {
        gw = TestGateway.start("heartbeat", "1s");
        OkHttpClient client = client(version);
        Stream stream = Stream.open(client, gw.url("/events?topic=news"), null);
        Response opened = stream.awaitOpen();
        assertEquals(200, opened.code());
        assertEquals(version.protocol, opened.protocol());
        assertTrue(opened.header("Content-Type", "").startsWith("text/event-stream"), opened.headers().toString());
        assertEquals(List.of(), stream.collect(TWO_HEARTBEATS), "nothing at connect, nothing for heartbeats");

        String firstId = gw.publishOk("news", "first");
        String secondId = gw.publishOk("news", "second");
        assertEquals(List.of(new Event(firstId, null, "first"), new Event(secondId, null, "second")), stream.take(2));
        assertEquals(List.of(), stream.collect(TWO_HEARTBEATS), "nothing for heartbeats after an event with an id");
        stream.source.cancel();

        gw.publishOk("news", "while away");
        Stream resumed = Stream.open(client, gw.url("/events?topic=news"), secondId);
        assertEquals(200, resumed.awaitOpen().code());
        assertEquals("while away", resumed.take(1).get(0).data());
        assertEquals(List.of(), resumed.collect(Duration.ofMillis(300)), "only what was missed");
    }

    /** 300 events of 1,000 bytes: past the stream's and the connection's first flow-control windows (65,535 bytes). */
    @ParameterizedTest
    @EnumSource(Version.class)
    void takesMoreThanTheFirstWindowsInOrder(Version version) throws Exception {
        gw = TestGateway.start();
        Stream stream = Stream.open(client(version), gw.url("/events?topic=bulk"), null);
        stream.awaitOpen();
        String payload = "x".repeat(991);
        for (int i = 0; i < 300; i++) {
            gw.publishOk("bulk", String.format("%09d%s", i, payload));
        }
        List<Event> events = stream.take(300);
        for (int i = 0; i < 300; i++) {
            assertEquals(String.format("%09d", i), events.get(i).data().substring(0, 9), "event " + i + " in order");
            assertEquals(1000, events.get(i).data().length());
        }
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void theBusyAnswerAndTheShutdownAreEventsItCanActOn(Version version) throws Exception {
        gw = TestGateway.start("max-streams", "1");
        OkHttpClient client = client(version);
        Stream holder = Stream.open(client, gw.url("/events?topic=a"), null);
        holder.awaitOpen();
        Stream refused = Stream.open(client, gw.url("/events?topic=a"), null);
        assertEquals(200, refused.awaitOpen().code(), "a native EventSource would give up for good on anything else");
        Event busy = refused.take(1).get(0);
        assertEquals("server-busy", busy.type());
        assertTrue(Json.parse(busy.data()).getInt("retryMillis") > 0, busy.toString());
        refused.awaitEnd();

        gw.stop();
        Event shutdown = holder.take(1).get(0);
        assertEquals("server-shutdown", shutdown.type());
        holder.awaitEnd();
        assertEquals(List.of(), holder.failures, "the node ended the stream cleanly");
    }

    @ParameterizedTest
    @EnumSource(Version.class)
    void aClientsMistakeIsA4xxWithAJsonReason(Version version) throws Exception {
        gw = TestGateway.start();
        Stream stream = Stream.open(client(version), gw.url("/events?topic=%3Cscript%3E"), null);
        Failure failure = stream.awaitFailure();
        assertNotNull(failure.response(), "an answer, not a broken connection: " + failure);
        assertTrue(failure.response().code() >= 400 && failure.response().code() < 500, failure.toString());
        JsonObject reason = Json.parse(failure.body());
        assertEquals("invalid-topic", reason.getString("error"), failure.body());
        assertTrue(reason.getString("message").contains("characters"), failure.body());
    }

    private OkHttpClient client(Version version) {
        OkHttpClient client = new OkHttpClient.Builder().protocols(List.of(version.protocol)).readTimeout(Duration.ZERO).build();
        clients.add(client);
        return client;
    }

    record Event(String id, String type, String data) {
    }

    record Failure(Throwable error, Response response, String body) {
    }

    /** One {@code EventSource} and what its listener was told, in order. */
    static final class Stream extends EventSourceListener {
        final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        final BlockingQueue<Response> opened = new LinkedBlockingQueue<>();
        final List<Failure> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch ended = new CountDownLatch(1);
        EventSource source;

        static Stream open(OkHttpClient client, String url, String lastEventId) {
            Request.Builder request = new Request.Builder().url(url);
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            Stream stream = new Stream();
            stream.source = EventSources.createFactory(client).newEventSource(request.build(), stream);
            return stream;
        }

        @Override
        public void onOpen(EventSource source, Response response) {
            opened.add(response);
        }

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            events.add(new Event(id, type, data));
        }

        @Override
        public void onClosed(EventSource source) {
            ended.countDown();
        }

        @Override
        public void onFailure(EventSource source, Throwable error, Response response) {
            String body = null;
            if (response != null && response.body() != null) {
                try {
                    body = response.body().string();
                } catch (IOException e) {
                    body = "(unreadable: " + e + ")";
                }
            }
            failures.add(new Failure(error, response, body));
            ended.countDown();
        }

        Response awaitOpen() throws InterruptedException {
            Response response = opened.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(response, "opened; failures: " + failures);
            return response;
        }

        List<Event> take(int n) throws InterruptedException {
            List<Event> taken = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (taken.size() < n) {
                Event e = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                assertNotNull(e, "event " + (taken.size() + 1) + " of " + n + "; had " + taken.size() + "; failures: " + failures);
                taken.add(e);
            }
            return taken;
        }

        List<Event> collect(Duration during) throws InterruptedException {
            Thread.sleep(during.toMillis());
            List<Event> seen = new ArrayList<>();
            events.drainTo(seen);
            return seen;
        }

        void awaitEnd() throws InterruptedException {
            assertTrue(ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the stream ended");
        }

        Failure awaitFailure() throws InterruptedException {
            awaitEnd();
            assertEquals(1, failures.size(), "one failure: " + failures);
            return failures.get(0);
        }
    }
}
