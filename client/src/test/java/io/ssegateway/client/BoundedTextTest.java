package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A proxy's error page of any size costs the client at most the bound, over a real socket. */
class BoundedTextTest {
    @Test
    void aLargeBodyIsReadToItsEndAndKeptUpToTheBound() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(502, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/publish")).build(), info -> BoundedText.subscriber());
            assertEquals(502, answer.statusCode());
            assertEquals(BoundedText.LIMIT, answer.body().length());
        } finally {
            server.stop(0);
        }
    }
}
