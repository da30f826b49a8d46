package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The management port ({@code management-port}): it serves only the health checks and metrics,
 * and answers them while every request thread of the main port is taken.
 */
class ManagementPortTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void servesHealthReadinessAndMetricsAndNothingElse() throws Exception {
        try (TestGateway gw = TestGateway.start("management-port", "0")) {
            HttpResponse<String> health = get(gw.managementUrl("/health"), Duration.ofSeconds(10));
            assertEquals(200, health.statusCode(), health.body());
            assertEquals("up", Json.field(health.body(), "status"));
            assertEquals(200, get(gw.managementUrl("/ready"), Duration.ofSeconds(10)).statusCode());
            HttpResponse<String> metrics = get(gw.managementUrl("/metrics"), Duration.ofSeconds(10));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("sse_streams"), metrics.body());
            for (String elsewhere : List.of("/events?topic=a", "/publish?topic=a", "/", "/index.html", "/%2Fhealth", "/health/")) {
                HttpResponse<String> refused = get(gw.managementUrl(elsewhere), Duration.ofSeconds(10));
                assertEquals(404, refused.statusCode(), elsewhere);
                assertTrue(refused.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), elsewhere);
                assertTrue(Json.field(refused.body(), "message").contains("only /health, /ready and /metrics"), refused.body());
            }
            HttpResponse<String> publish = client.send(HttpRequest.newBuilder(URI.create(gw.managementUrl("/publish?topic=a")))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, publish.statusCode(), "a publish never reaches the hub through the management port");
            assertEquals(200, gw.get("/health").statusCode(), "the main port still answers health checks");
        }
    }

    /**
     * Every request thread of the main port is busy (as while a node opens a storm of streams: the
     * pool's tasks wait for the test's latch here): a health check there waits in the queue, on the
     * management port it is answered.
     */
    @Test
    void answersWhileTheMainPortsRequestThreadsAreAllBusy() throws Exception {
        try (TestGateway gw = TestGateway.start("management-port", "0")) {
            CountDownLatch busy = gw.occupyRequestThreads();
            try {
                assertThrows(HttpTimeoutException.class, () -> get(gw.url("/health"), Duration.ofSeconds(2)),
                    "the main port's threads are all busy (else this test proves nothing)");
                HttpResponse<String> health = get(gw.managementUrl("/health"), Duration.ofSeconds(10));
                assertEquals(200, health.statusCode(), health.body());
                assertEquals(200, get(gw.managementUrl("/metrics"), Duration.ofSeconds(10)).statusCode());
            } finally {
                busy.countDown();
            }
            assertEquals(200, get(gw.url("/health"), Duration.ofSeconds(30)).statusCode(), "the main port recovers");
        }
    }

    @Test
    void itsThreadsEndWithTheServer() throws Exception {
        TestGateway gw = TestGateway.start("management-port", "0");
        assertEquals(200, get(gw.managementUrl("/health"), Duration.ofSeconds(10)).statusCode());
        assertTrue(managementThreads() > 0);
        gw.close();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (managementThreads() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, managementThreads());
    }

    @Test
    void withoutTheSettingThereIsNoSecondPort() throws Exception {
        try (TestGateway gw = TestGateway.start()) {
            assertThrows(NoSuchElementException.class, () -> gw.managementUrl("/health"));
        }
    }

    /** A pod (Kubernetes sets KUBERNETES_SERVICE_HOST in every one) without a management port is warned. */
    @Test
    void aPodWithoutAManagementPortIsWarned() {
        Map<String, String> pod = Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        String warning = ManagementPort.missingInKubernetes(GatewayConfig.of(Map.of()).server(), pod).orElseThrow();
        assertTrue(warning.contains("SSE_MANAGEMENT_PORT"), warning);
        assertTrue(ManagementPort.missingInKubernetes(GatewayConfig.of(Map.of("management-port", "9090")).server(), pod).isEmpty());
        assertTrue(ManagementPort.missingInKubernetes(GatewayConfig.of(Map.of()).server(), Map.of()).isEmpty(), "not in a pod");
    }

    private static long managementThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("sse-management")).count();
    }

    private HttpResponse<String> get(String url, Duration timeout) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
