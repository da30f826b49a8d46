import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;

/**
 * A client that cancels its HTTP/2 streams (RST_STREAM CANCEL) while keeping its connections, as a
 * proxy does when its own clients leave (issue 25, point 3; docs/scripts/h2-release.py kills its
 * client instead). Opens N streams on a running gateway, 1,000 per connection, resets them all at
 * once and prints how long until the gateway's /health counts none.
 *   java -cp target/sse-gateway.jar docs/scripts/H2Reset.java PORT [N]
 */
public class H2Reset {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        HTTP2Client client = new HTTP2Client();
        client.start();
        List<Stream> streams = new CopyOnWriteArrayList<>();
        AtomicInteger answered = new AtomicInteger();
        Stream.Listener listener = new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                answered.incrementAndGet();
                stream.demand();
            }

            @Override
            public void onDataAvailable(Stream stream) {
                Stream.Data data = stream.readData();
                if (data != null) {
                    data.release();
                }
                stream.demand();
            }
        };
        long t = System.nanoTime();
        for (int c = 0; c < n / 1000; c++) {
            Promise.Completable<Session> session = new Promise.Completable<>();
            client.connect(new InetSocketAddress("127.0.0.1", port), new Session.Listener() { }, session);
            Session s = session.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 1000; i++) {
                MetaData.Request request = new MetaData.Request("GET",
                    HttpURI.from("http://127.0.0.1:" + port + "/events?topic=r"), HttpVersion.HTTP_2, HttpFields.EMPTY);
                s.newStream(new HeadersFrame(request, null, true), listener).thenAccept(streams::add);
            }
        }
        while (answered.get() < n || gatewayStreams(port) < n) {
            Thread.sleep(100);
        }
        System.out.printf("%d streams open in %.1f s%n", n, (System.nanoTime() - t) / 1e9);
        Thread.sleep(2_000);
        t = System.nanoTime();
        for (Stream stream : streams) {
            stream.reset(new ResetFrame(stream.getId(), ErrorCode.CANCEL_STREAM_ERROR.code), Callback.NOOP);
        }
        long sent = System.nanoTime();
        while (gatewayStreams(port) != 0) {
            Thread.sleep(20);
        }
        System.out.printf("reset %d streams (%.2f s to send the resets); the gateway released them %.2f s after the first%n",
            n, (sent - t) / 1e9, (System.nanoTime() - t) / 1e9);
        client.stop();
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern STREAMS = Pattern.compile("\"streams\":(\\d+)");

    /** The gateway's open streams; -1 while /health does not answer. */
    private static int gatewayStreams(int port) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = STREAMS.matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
