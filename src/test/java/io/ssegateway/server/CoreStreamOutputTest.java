package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.stream.StreamOutput;
import io.ssegateway.testing.H2Client;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CoreStreamOutput}'s machine on a real Jetty and real sockets: a core handler gives each
 * request's output to the test, which plays the stream (and the end of the servlet phase) by hand.
 */
class CoreStreamOutputTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<CoreStreamOutput> outputs = new LinkedBlockingQueue<>();
    private Server server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
            new HTTP2CServerConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                outputs.add(new CoreStreamOutput(request, response, callback));
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void nothingIsWrittenBeforeTheServletPhaseEndsAndAnEndAskedForDuringAWriteFollowsIt() throws Exception {
        try (Socket socket = get()) {
            CoreStreamOutput output = outputs.poll(10, TimeUnit.SECONDS);
            Pump pump = new Pump();
            CountDownLatch finished = new CountDownLatch(1);
            output.whenFinished(finished::countDown);
            output.start(pump);
            assertFalse(pump.writePossible.await(300, TimeUnit.MILLISECONDS),
                "the pump was called while the servlet layer still had the request");
            output.servletPhaseEnded(null);
            assertTrue(pump.writePossible.await(10, TimeUnit.SECONDS), "the first onWritePossible");

            assertTrue(output.isReady());
            output.write(ByteBuffer.wrap("data: a\n\n".getBytes(StandardCharsets.UTF_8)));
            output.complete(null); // at once: the write may well still be in flight
            assertThrows(IOException.class, () -> output.write(ByteBuffer.wrap(new byte[] {'x'})),
                "a write after the end was asked for");

            String got = readToEnd(socket);
            assertTrue(got.contains("data: a\n\n"), got);
            assertTrue(got.endsWith("\r\n0\r\n\r\n"), "the last chunk ends the response: " + got);
            assertTrue(finished.await(10, TimeUnit.SECONDS), "whenFinished after the end was written");
        }
    }

    @Test
    void aResponseEndedBeforeItOpenedCarriesItsBody() throws Exception {
        try (Socket socket = get()) {
            CoreStreamOutput output = outputs.poll(10, TimeUnit.SECONDS);
            output.complete(ByteBuffer.wrap("retry: 1000\n\n".getBytes(StandardCharsets.UTF_8)));
            output.servletPhaseEnded(null);
            String got = readToEnd(socket);
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            assertTrue(got.contains("Content-Length: 13"), got);
            assertTrue(got.endsWith("\r\n\r\nretry: 1000\n\n"), got);
        }
    }

    @Test
    void anHttp1ClientThatClosesIsGoneAtOnce() throws Exception {
        Socket socket = get();
        CoreStreamOutput output = outputs.poll(10, TimeUnit.SECONDS);
        CountDownLatch gone = new CountDownLatch(1);
        output.whenGone(gone::countDown);
        output.servletPhaseEnded(null);
        socket.close();
        assertTrue(gone.await(10, TimeUnit.SECONDS), "the closed connection was heard without a write");
        CountDownLatch finished = new CountDownLatch(1);
        output.whenFinished(finished::countDown);
        output.complete(null);
        assertTrue(finished.await(10, TimeUnit.SECONDS), "a gone client's response finishes");
    }

    @Test
    void anHttp2ResetIsGoneAtOnceAndTheOtherStreamsGoOn() throws Exception {
        try (H2Client client = new H2Client(port, false);
             H2Client.Connection connection = client.connect()) {
            H2Client.H2Stream resetting = connection.get("/a");
            CoreStreamOutput first = outputs.poll(10, TimeUnit.SECONDS);
            H2Client.H2Stream staying = connection.get("/b");
            CoreStreamOutput second = outputs.poll(10, TimeUnit.SECONDS);
            CountDownLatch gone = new CountDownLatch(1);
            first.whenGone(gone::countDown);
            CountDownLatch finished = new CountDownLatch(1);
            first.whenFinished(finished::countDown);
            Pump pump = new Pump();
            for (CoreStreamOutput output : new CoreStreamOutput[] {first, second}) {
                output.servletPhaseEnded(null);
            }
            second.start(pump);
            assertTrue(pump.writePossible.await(10, TimeUnit.SECONDS));

            resetting.cancel();
            assertTrue(gone.await(10, TimeUnit.SECONDS), "the reset was heard");
            first.complete(null);
            assertTrue(finished.await(10, TimeUnit.SECONDS), "the reset stream's response finishes");

            second.write(ByteBuffer.wrap("data: b\n\n".getBytes(StandardCharsets.UTF_8)));
            second.complete(null);
            await(() -> staying.ended, WAIT, "the other stream's END_STREAM");
            assertFalse(staying.reset);
            assertEquals("b", staying.events.get(0).data());
        }
    }

    /** An HTTP/1.1 GET on a socket of its own. */
    private Socket get() throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    /** What the server sent until the response's end (the connection stays open: read up to it). */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buffer = new byte[4096];
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            got.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            String text = got.toString();
            if (text.endsWith("\r\n0\r\n\r\n") || fixedLengthBodyComplete(text)) {
                break;
            }
        }
        return got.toString();
    }

    /** True once a response with a Content-Length has all its body. */
    private static boolean fixedLengthBodyComplete(String text) {
        Matcher length = Pattern.compile("Content-Length: (\\d+)\r\n").matcher(text);
        int head = text.indexOf("\r\n\r\n");
        return length.find() && head >= 0 && text.length() - head - 4 >= Integer.parseInt(length.group(1));
    }

    /** The stream's side: records the output's calls. */
    private static final class Pump implements StreamOutput.Pump {
        final CountDownLatch writePossible = new CountDownLatch(1);

        @Override
        public void onWritePossible() {
            writePossible.countDown();
        }

        @Override
        public void onError(Throwable failure) {
            throw new AssertionError("no write fails here", failure);
        }
    }
}
