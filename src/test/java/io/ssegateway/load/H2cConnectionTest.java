package io.ssegateway.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.concurrent.DaemonThreads;
import io.ssegateway.testing.TestGateway;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load tool's h2c connection against a real gateway over loopback: flow control given back as
 * bytes are consumed, the answer's status, and every stream told when its connection goes.
 */
class H2cConnectionTest {
    private SelectorLoop loop;
    private Thread loopThread;

    /** Counts what one stream got; its callbacks come on the loop's thread. */
    private static final class Recorded implements H2cConnection.StreamListener {
        final CompletableFuture<Integer> status = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        final StringBuilder text = new StringBuilder();
        final CountDownLatch ended = new CountDownLatch(1);
        final AtomicInteger ends = new AtomicInteger();

        @Override
        public void onResponse(int code, boolean endStream) {
            status.complete(code);
        }

        @Override
        public synchronized void onData(ByteBuffer data) {
            bytes.addAndGet(data.remaining());
            if (text.length() < 4096) {
                text.append(StandardCharsets.UTF_8.decode(data));
            }
        }

        @Override
        public void onEnd() {
            ends.incrementAndGet();
            ended.countDown();
        }
    }

    @BeforeEach
    void startLoop() throws Exception {
        loop = new SelectorLoop();
        loopThread = DaemonThreads.named("h2c-test-loop").newThread(loop);
        loopThread.start();
    }

    @AfterEach
    void stopLoop() throws Exception {
        loop.stop();
        loopThread.join(5000);
    }

    private static MetaData.Request get(TestGateway gw, String pathAndQuery) {
        return new MetaData.Request("GET", HttpURI.from(gw.url(pathAndQuery)), HttpVersion.HTTP_2,
            HttpFields.build().put(HttpHeader.ACCEPT, "text/event-stream"));
    }

    /** Opens streams on one new connection with a {@code window}-byte receive window, on the loop's thread. */
    private H2cConnection open(TestGateway gw, int window, Object... requestsAndListeners) throws Exception {
        CompletableFuture<H2cConnection> made = new CompletableFuture<>();
        loop.execute(() -> {
            H2cConnection connection = new H2cConnection(loop, new InetSocketAddress("127.0.0.1", gw.port()), window);
            for (int i = 0; i < requestsAndListeners.length; i += 2) {
                connection.open((MetaData.Request) requestsAndListeners[i], (Recorded) requestsAndListeners[i + 1]);
            }
            made.complete(connection);
        });
        return made.get(10, TimeUnit.SECONDS);
    }

    private static void awaitStreams(TestGateway gw, int streams) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (gw.gateway().streams() < streams && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(streams, gw.gateway().streams());
    }

    @Test
    void streamsGetManyTimesTheirWindowBecauseWhatWasReadIsGivenBack() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Recorded first = new Recorded();
            Recorded second = new Recorded();
            int window = 16 * 1024;
            open(gw, window, get(gw, "/events?topic=w"), first, get(gw, "/events?topic=w"), second);
            assertEquals(200, first.status.get(10, TimeUnit.SECONDS));
            awaitStreams(gw, 2);
            String data = "x".repeat(1000);
            for (int i = 0; i < 200; i++) {
                gw.publishOk("w", data);
            }
            // 200 events of more than 1,000 bytes: over 12 stream windows each, and over the
            // connection's 64 KiB several times; without WINDOW_UPDATEs the server stops sending.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while ((first.bytes.get() < 200_000 || second.bytes.get() < 200_000) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.bytes.get() >= 200_000 && second.bytes.get() >= 200_000,
                "both streams got all 200 events: " + first.bytes + " and " + second.bytes + " bytes");
            assertEquals(0, first.ends.get() + second.ends.get(), "the streams are still open");
        }
    }

    @Test
    void anAnswerOtherThan200IsReportedAndEndsTheStream() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            Recorded refused = new Recorded();
            open(gw, H2cConnection.LOAD_WINDOW, get(gw, "/events"), refused);
            assertEquals(400, refused.status.get(10, TimeUnit.SECONDS), "a stream without a topic is the client's mistake");
            assertTrue(refused.ended.await(10, TimeUnit.SECONDS));
            assertTrue(refused.text.toString().contains("topic"), "its JSON reason arrives as data: " + refused.text);
            assertEquals(1, refused.ends.get());
        }
    }

    @Test
    void whenTheGatewayStopsEveryStreamEndsOnceAndTheConnectionTakesNoMore() throws Exception {
        Recorded[] streams = new Recorded[50];
        Object[] requests = new Object[streams.length * 2];
        H2cConnection connection;
        try (TestGateway gw = TestGateway.start()) {
            for (int i = 0; i < streams.length; i++) {
                streams[i] = new Recorded();
                requests[2 * i] = get(gw, "/events?topic=s" + i);
                requests[2 * i + 1] = streams[i];
            }
            connection = open(gw, H2cConnection.LOAD_WINDOW, requests);
            awaitStreams(gw, streams.length);
            gw.stop();
        }
        for (Recorded each : streams) {
            assertTrue(each.ended.await(10, TimeUnit.SECONDS), "every stream ended with its gateway");
            assertEquals(1, each.ends.get(), "ended once");
            assertTrue(each.text.toString().contains("server-shutdown"), "told why first: " + each.text);
        }
        CompletableFuture<Boolean> usable = new CompletableFuture<>();
        loop.execute(() -> usable.complete(connection.usable()));
        assertEquals(false, usable.get(10, TimeUnit.SECONDS), "a stream that wants the node opens a new connection");
    }
}
