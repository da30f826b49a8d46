import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.RawHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * What Jetty itself costs per held SSE stream, with nothing of the gateway's (issue 25): a bare
 * Jetty 12 with h2c that holds every request as a stream (a 200 text/event-stream response and one
 * comment), either through an ee10 async servlet, as the gateway's streams are served, or through
 * Jetty's core Handler API, or below the HTTP layer on Jetty's HTTP/2 API (http2). A line "broadcast" on stdin writes one 1,000-byte event to every held
 * stream (one write each, no batching); "count" prints how many are held (a stream whose client left is
 * no longer held).
 *   java @jvm/sse-gateway.args -cp target/sse-gateway.jar docs/scripts/JettyFloor.java servlet|core|http2 PORT
 * docs/scripts/jetty-floor.py drives it with h2load and measures heap, RSS and CPU per delivery.
 */
public class JettyFloor {
    private static final ByteBuffer COMMENT = ByteBuffer.wrap(": held\n\n".getBytes(StandardCharsets.UTF_8));
    private static final ByteBuffer EVENT = event(1000);
    /** A write to one held stream; one at a time per stream, skipped while its last is unfinished. */
    private static final Set<Runnable> HELD = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        boolean raw = args[0].equals("http2");
        AbstractHTTP2ServerConnectionFactory h2 = raw
            ? new RawHTTP2ServerConnectionFactory(http, rawListener(), "h2c")
            : new HTTP2CServerConnectionFactory(http);
        h2.setMaxConcurrentStreams(1000);
        ServerConnector connector = raw
            ? new ServerConnector(server, h2)
            : new ServerConnector(server, new HttpConnectionFactory(http), h2);
        connector.setPort(Integer.parseInt(args[1]));
        connector.setIdleTimeout(3_600_000);
        server.addConnector(connector);
        switch (args[0]) {
            case "servlet" -> server.setHandler(servletContext());
            case "core" -> server.setHandler(coreHandler());
            case "http2" -> { } // no HTTP layer: rawListener() holds the streams
            default -> throw new IllegalArgumentException("servlet, core or http2, not " + args[0]);
        }
        server.start();
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = commands.readLine()) != null; ) {
            long start = System.nanoTime();
            if (line.equals("broadcast")) {
                HELD.forEach(Runnable::run);
            }
            System.out.println(line + ": " + HELD.size() + " streams, " + (System.nanoTime() - start) / 1_000_000 + " ms");
        }
        server.stop();
    }

    /** Streams held as the gateway holds them: startAsync, a WriteListener, writes only while isReady(). */
    private static Handler servletContext() {
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder holder = new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/event-stream");
                AsyncContext async = request.startAsync();
                async.setTimeout(0);
                HttpOutput out = (HttpOutput) response.getOutputStream();
                AtomicBoolean commented = new AtomicBoolean();
                out.setWriteListener(new WriteListener() {
                    @Override
                    public void onWritePossible() throws IOException {
                        if (commented.compareAndSet(false, true)) {
                            out.write(COMMENT.slice());
                        }
                    }

                    @Override
                    public void onError(Throwable failure) {
                        // The AsyncListener below lets the stream go.
                    }
                });
                Runnable held = () -> {
                    synchronized (out) {
                        try {
                            if (out.isReady()) {
                                out.write(EVENT.slice());
                            }
                        } catch (IOException gone) {
                            // the client left; the measurement counts the others
                        }
                    }
                };
                HELD.add(held);
                async.addListener(new AsyncListener() {
                    @Override
                    public void onError(AsyncEvent event) {
                        HELD.remove(held); // the client left (a reset, a dead connection)
                    }

                    @Override
                    public void onComplete(AsyncEvent event) {
                        HELD.remove(held);
                    }

                    @Override
                    public void onTimeout(AsyncEvent event) {
                    }

                    @Override
                    public void onStartAsync(AsyncEvent event) {
                    }
                });
            }
        });
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        return context;
    }

    /** Streams held through the core API: the response's write with a callback, the request never completed. */
    private static Handler coreHandler() {
        return new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                OneWriteAtATime writes = new OneWriteAtATime();
                response.write(false, COMMENT.slice(), writes.written);
                Runnable release = writes.hold((event, written) -> response.write(false, event, written));
                request.addFailureListener(failure -> release.run());
                return true;
            }
        };
    }

    /**
     * Streams held below Jetty's HTTP layer, on its HTTP/2 API (no request, response or channel state):
     * a HEADERS frame with the 200, then DATA frames with a callback. The floor of Jetty's HTTP/2 framing.
     */
    private static ServerSessionListener rawListener() {
        return new ServerSessionListener() {
            @Override
            public Stream.Listener onNewStream(Stream stream, HeadersFrame request) {
                HttpFields.Mutable fields = HttpFields.build().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
                MetaData.Response head = new MetaData.Response(200, null, HttpVersion.HTTP_2, fields);
                OneWriteAtATime writes = new OneWriteAtATime();
                stream.headers(new HeadersFrame(stream.getId(), head, null, false), Callback.from(
                    () -> stream.data(new DataFrame(stream.getId(), COMMENT.slice(), false), writes.written), failure -> { }));
                Runnable release = writes.hold(
                    (event, written) -> stream.data(new DataFrame(stream.getId(), event, false), written));
                return new Stream.Listener() {
                    @Override
                    public void onReset(Stream reset, ResetFrame frame, Callback callback) {
                        release.run();
                        callback.succeeded();
                    }

                    @Override
                    public void onFailure(Stream failed, int error, String reason, Throwable failure, Callback callback) {
                        release.run();
                        callback.succeeded();
                    }
                };
            }
        };
    }

    /** A held stream's writes, one at a time: the first (the comment) is in flight when it is made. */
    private static final class OneWriteAtATime {
        private final AtomicBoolean writing = new AtomicBoolean(true);
        /** Every write's callback: the next may start. */
        final Callback written = Callback.from(() -> writing.set(false), failure -> { });

        /**
         * Holds the stream: a broadcast writes the event with {@code write}, unless the stream's last
         * write is unfinished. Returns what lets the stream go.
         */
        Runnable hold(BiConsumer<ByteBuffer, Callback> write) {
            Runnable held = () -> {
                if (writing.compareAndSet(false, true)) {
                    write.accept(EVENT.slice(), written);
                }
            };
            HELD.add(held);
            return () -> HELD.remove(held);
        }
    }

    private static ByteBuffer event(int dataBytes) {
        byte[] frame = new byte["data: ".length() + dataBytes + 2];
        Arrays.fill(frame, (byte) 'x');
        System.arraycopy("data: ".getBytes(StandardCharsets.US_ASCII), 0, frame, 0, "data: ".length());
        frame[frame.length - 2] = '\n';
        frame[frame.length - 1] = '\n';
        return ByteBuffer.wrap(frame);
    }
}
