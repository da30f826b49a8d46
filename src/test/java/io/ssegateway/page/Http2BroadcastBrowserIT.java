package io.ssegateway.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ssegateway.testing.Browser;
import io.ssegateway.testing.Certificates.Pair;
import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

/**
 * A broadcast over HTTP/2 as a browser meets it: 100 EventSources of one page in real Chromium
 * share one TLS connection, and each receives every event byte for byte, including the events that
 * go to Jetty as copies it writes next to the frame headers ({@code server.InlinedChunks}: from a
 * stream's second event on, once a thread has written the same event 32 times).
 */
class Http2BroadcastBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SOURCES = 100;

    @TempDir
    Path dir;

    @Test
    void everyEventSourceOnOneHttp2ConnectionGetsEveryEventByteForByte() throws Exception {
        Pair pair = Certificates.create(dir, "page", "ec", "localhost");
        try (TestGateway gw = TestGateway.startTls(pair);
             Browser browser = Browser.start(1280, 900, "--ignore-certificate-errors")) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            ((JavascriptExecutor) page).executeScript("""
                window.received = [];
                window.sources = [];
                for (let i = 0; i < arguments[0]; i++) {
                  const es = new EventSource('events?topic=broadcast');
                  window.received.push([]);
                  es.onmessage = e => window.received[i].push(e.data);
                  window.sources.push(es);
                }""", SOURCES);
            browser.await(d -> count(d, "window.sources.filter(s => s.readyState === EventSource.OPEN).length") == SOURCES, WAIT);
            assertEquals("h2", browser.protocol());
            assertEquals(1, gw.connections(), "one connection carries the page and its streams");

            // One at a time, as a broadcast every few seconds comes: events published together would
            // meet in each stream's queue and go out as one chunk of that stream's own.
            List<String> events = List.of(data('a'), data('b'), data('c'));
            for (int n = 1; n <= events.size(); n++) {
                gw.publishOk("broadcast", events.get(n - 1));
                String all = "window.received.filter(r => r.length === " + n + ").length";
                browser.await(d -> count(d, all) == SOURCES, WAIT);
            }
            for (int i = 0; i < SOURCES; i++) {
                assertEquals(events, ((JavascriptExecutor) page).executeScript("return window.received[arguments[0]];", i),
                    "EventSource " + i);
            }
        }
    }

    /** 1,000 characters, several of them two or three bytes in UTF-8, that differ per event. */
    private static String data(char tag) {
        return (tag + "é€-").repeat(250);
    }

    private static long count(WebDriver page, String expression) {
        return (Long) ((JavascriptExecutor) page).executeScript("return " + expression + ";");
    }
}
