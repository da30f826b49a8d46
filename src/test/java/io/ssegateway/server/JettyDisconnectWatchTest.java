package io.ssegateway.server;

import static io.ssegateway.testing.H2Client.H2Stream.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.H2Client.H2Stream;
import io.ssegateway.testing.H2Client;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The embedded server's disconnect watch, on a real Jetty with a real HTTP/2 client. */
class JettyDisconnectWatchTest {

    /**
     * A client resets its HTTP/2 stream while the container is running code for that stream (here
     * the dispatch itself; in the gateway, a write callback). The servlet layer passes such a
     * failure to no AsyncListener (it is not waiting), so without the watch the stream would hear
     * of it only at its next write, the heartbeat: seen as one stream in ~70,000 dropped that
     * stayed 16-21 s (docs/scripts/h2-drop-repeat.py).
     */
    @Test
    void anHttp2StreamHearsOfItsResetWhileTheContainerRunsCodeForIt() throws Exception {
        CountDownLatch gone = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean asyncListenerHeard = new AtomicBoolean();
        HttpServlet servlet = new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                AsyncContext async = req.startAsync();
                async.setTimeout(0);
                async.addListener(new Heard(asyncListenerHeard));
                new JettyDisconnectWatch().watch(req, gone::countDown);
                resp.setContentType("text/event-stream");
                resp.flushBuffer();
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                async.complete();
            }
        };
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
            new HTTP2CServerConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(servlet), "/*");
        server.setHandler(context);
        server.start();
        try (H2Client client = new H2Client(connector.getLocalPort(), false)) {
            H2Stream stream = client.connect().get("/events");
            await(() -> stream.status == 200, Duration.ofSeconds(10), "the stream's headers");
            stream.cancel();
            assertTrue(gone.await(5, TimeUnit.SECONDS), "the watch heard of the reset while the dispatch still ran");
            release.countDown();
            Thread.sleep(500);
            assertFalse(asyncListenerHeard.get(), "the AsyncListener heard it too: the watch would not be needed");
        } finally {
            release.countDown();
            server.stop();
        }
    }

    /** Records an AsyncListener error. */
    private static final class Heard implements AsyncListener {
        private final AtomicBoolean heard;

        Heard(AtomicBoolean heard) {
            this.heard = heard;
        }

        @Override
        public void onError(AsyncEvent event) {
            heard.set(true);
        }

        @Override
        public void onComplete(AsyncEvent event) {
            // not what this test watches
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // no timeout is set
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not re-dispatched
        }
    }
}
