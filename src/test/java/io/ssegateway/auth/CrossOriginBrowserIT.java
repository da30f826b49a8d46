package io.ssegateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.ssegateway.testing.Browser;
import io.ssegateway.testing.LogLines;
import io.ssegateway.testing.TestGateway;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Issue 21, point 5: a page on another origin (127.0.0.2) opens a native EventSource to the gateway
 * (127.0.0.1) in Chromium. Refused, the EventSource closes for good, and the gateway logs the origin
 * once, with the setting that allows it; allowed by that setting, the stream opens and delivers.
 */
class CrossOriginBrowserIT {
    private HttpServer site;
    private String origin;
    private volatile int gatewayPort;

    @BeforeEach
    void startSite() throws Exception {
        site = HttpServer.create(new InetSocketAddress("127.0.0.2", 0), 8);
        site.createContext("/", exchange -> {
            byte[] page = ("<!doctype html><title>other origin</title><script>\n"
                + "window.seen = [];\n"
                + "const es = new EventSource('http://127.0.0.1:" + gatewayPort + "/events?topic=cors', {withCredentials: true});\n"
                + "es.onopen = () => seen.push('open');\n"
                + "es.onmessage = e => seen.push('message:' + e.data);\n"
                + "es.onerror = () => seen.push('error:' + es.readyState);\n"
                + "</script>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        site.start();
        origin = "http://127.0.0.2:" + site.getAddress().getPort();
    }

    @AfterEach
    void stopSite() {
        site.stop(0);
    }

    @SuppressWarnings("unchecked")
    private static List<String> seen(Browser browser) {
        return (List<String>) ((JavascriptExecutor) browser.driver()).executeScript("return window.seen;");
    }

    @Test
    void aRefusedOriginIsLoggedOnceWithTheSettingAndAnAllowedOneStreams() throws Exception {
        try (LogLines log = LogLines.of(CorsFilter.class); Browser browser = Browser.start(800, 600)) {
            try (TestGateway gw = TestGateway.start()) {
                gatewayPort = gw.port();
                for (int load = 0; load < 2; load++) {
                    browser.driver().get(origin + "/");
                    browser.await(d -> seen(browser).contains("error:2"), Duration.ofSeconds(10));
                    assertEquals(List.of("error:2"), seen(browser), "CLOSED for good: a native EventSource does not retry");
                }
                List<String> refusals = log.messages().stream().filter(m -> m.contains(origin)).toList();
                assertEquals(1, refusals.size(), "logged once for two page loads: " + log.messages());
                assertTrue(refusals.get(0).contains("--cors-origins " + origin), refusals.get(0));
                assertTrue(refusals.get(0).contains("GET /events"), refusals.get(0));
            }
            try (TestGateway gw = TestGateway.start("cors-origins", origin)) {
                gatewayPort = gw.port();
                browser.driver().get(origin + "/");
                browser.await(d -> seen(browser).contains("open"), Duration.ofSeconds(10));
                gw.publishOk("cors", "across origins");
                browser.await(d -> seen(browser).contains("message:across origins"), Duration.ofSeconds(10));
            }
        }
    }
}
