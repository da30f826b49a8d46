package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the client reports when the gateway announced why a stream ends and the connection is then
 * cut instead of ended: a node that exits, or a proxy that closes its side, cuts the response
 * after {@code server-shutdown}. The wire is written by hand on a real socket so that the cut
 * happens exactly there.
 */
class ServerReasonTest {

    @Test
    void aServerShutdownFollowedByACutConnectionIsReportedAsTheShutdownWithItsDelay() throws Exception {
        BlockingQueue<String> reconnects = new LinkedBlockingQueue<>();
        BlockingQueue<List<String>> requests = new LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread node = new Thread(() -> serve(server, requests), "fake-node");
            node.setDaemon(true);
            node.start();
            try (GatewayClient client = GatewayClient.builder(URI.create("http://127.0.0.1:" + server.getLocalPort() + "/")).build()) {
                EventStream stream = client.subscribe(Subscription.to("t"), new EventListener() {
                    @Override
                    public void onEvent(ServerEvent event) {
                    }

                    @Override
                    public void onReconnecting(long delayMillis, String reason) {
                        reconnects.add(reason + " " + delayMillis);
                    }
                });
                assertEquals("server-shutdown 700", reconnects.poll(10, TimeUnit.SECONDS),
                    "the announced reason and delay, not stream-ended");
                assertTrue(requests.poll(10, TimeUnit.SECONDS) != null, "the first request");
                List<String> second = requests.poll(10, TimeUnit.SECONDS);
                assertTrue(second != null && second.contains("last-event-id: 1"), "the reconnect resumes after event 1: " + second);
                stream.close();
            }
        }
    }

    /** Answers each connection with a stream: one event, {@code server-shutdown}, then a cut (no last chunk). */
    private static void serve(ServerSocket server, BlockingQueue<List<String>> requests) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                List<String> head = new ArrayList<>();
                for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                    head.add(line.toLowerCase(java.util.Locale.ROOT));
                }
                requests.add(head);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + chunk(": sse-gateway\n\n") + chunk("id: 1\ndata: a\n\n")
                    + chunk("event: server-shutdown\nretry: 700\ndata: {\"retryMillis\":700}\n\n")).getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(200);
            } catch (Exception closed) {
                return;
            }
        }
    }

    private static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }
}
