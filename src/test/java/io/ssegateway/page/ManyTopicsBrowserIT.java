package io.ssegateway.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Browser;
import io.ssegateway.testing.Certificates.Pair;
import io.ssegateway.testing.Certificates;
import io.ssegateway.testing.TestGateway;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A browser allows six HTTP/1.1 connections per origin and each EventSource holds one. In real
 * Chromium: the demo page's one stream of ten topics works over HTTP/1.1; ten separate EventSources
 * all open over HTTP/2 with TLS; and, to show what both fix, ten separate EventSources over
 * HTTP/1.1 leave four waiting and the page's publish unanswered.
 */
class ManyTopicsBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> TOPICS = IntStream.rangeClosed(1, 10).mapToObj(i -> "topic" + i).toList();

    @TempDir
    Path dir;

    @Test
    void tenTopicsOnThePageShareOneStreamOverHttp11AndEveryRowNamesItsTopic() throws Exception {
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(1280, 1000)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            page.findElement(By.id("topics")).clear();
            page.findElement(By.id("topics")).sendKeys(String.join(", ", TOPICS));
            page.findElement(By.id("subscribe")).click();
            browser.await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")), WAIT);
            assertEquals(1, gw.gateway().streams(), "one stream for ten topics");
            assertEquals("http/1.1", browser.protocol());
            for (String topic : TOPICS) {
                // Published through the page's own form: each answer must come while the stream is open.
                page.findElement(By.id("pub-topic")).clear();
                page.findElement(By.id("pub-topic")).sendKeys(topic);
                page.findElement(By.id("pub-data")).clear();
                page.findElement(By.id("pub-data")).sendKeys("for " + topic);
                page.findElement(By.id("publish")).click();
                browser.await(d -> rowWithData(d, "for " + topic) != null, WAIT);
                assertTrue(page.findElement(By.id("publish-result")).getText().startsWith("published "));
                assertEquals(topic, cell(rowWithData(page, "for " + topic), 1), "the row names its topic");
            }
            browser.screenshot("ten-topics-one-stream");
            assertEquals(List.of(), browser.consoleErrors(), "no console errors");
        }
    }

    @Test
    void tenEventSourcesAllOpenOverHttp2WithTlsAndPublishIsAnswered() throws Exception {
        Pair pair = Certificates.create(dir, "page", "ec", "localhost");
        try (TestGateway gw = TestGateway.startTls(pair);
             Browser browser = Browser.start(1280, 900, "--ignore-certificate-errors")) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            openSeparateEventSources(page);
            browser.await(d -> openCount(d) == TOPICS.size(), WAIT);
            assertEquals("h2", browser.protocol());
            assertEquals(TOPICS.size(), gw.gateway().streams());
            String answer = publishFromPage(page, "topic7", "over h2");
            assertTrue(answer.startsWith("200"), answer);
            browser.await(d -> received(d).contains("topic7:over h2"), WAIT);
            showStates(page, answer);
            browser.screenshot("ten-eventsources-h2");
        }
    }

    @Test
    void tenEventSourcesOverHttp11ExhaustTheBrowsersSixConnections() throws Exception {
        // The failure the two tests above avoid, shown so that they are known to test something.
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            openSeparateEventSources(page);
            browser.await(d -> openCount(d) == 6, WAIT);
            Thread.sleep(2000);
            assertEquals(6, openCount(page), "only six HTTP/1.1 connections per origin");
            String answer = publishFromPage(page, "topic1", "queued behind the streams");
            assertEquals("timeout", answer, "the publish waits for a connection");
            showStates(page, answer);
            browser.screenshot("ten-eventsources-http11");
        }
    }

    private static void openSeparateEventSources(WebDriver page) {
        ((JavascriptExecutor) page).executeScript("""
            window.received = [];
            window.sources = arguments[0].map(t => {
              const es = new EventSource('events?topic=' + t);
              es.onmessage = e => window.received.push(t + ':' + e.data);
              return es;
            });""", TOPICS);
    }

    /** Replaces the page with the EventSources' states, the protocol and the publish answer, for the screenshot. */
    private static void showStates(WebDriver page, String publishAnswer) {
        ((JavascriptExecutor) page).executeScript("""
            const states = ['connecting', 'open', 'closed'];
            document.body.innerHTML = '<h2>' + performance.getEntriesByType('navigation')[0].nextHopProtocol + '</h2><ol>'
              + window.sources.map((s, i) => '<li>topic' + (i + 1) + ': ' + states[s.readyState] + '</li>').join('')
              + '</ol><p>publish: ' + arguments[0] + '</p><p>received: ' + window.received.join(', ') + '</p>';""",
            publishAnswer);
    }

    private static long openCount(WebDriver page) {
        return (Long) ((JavascriptExecutor) page).executeScript(
            "return window.sources.filter(s => s.readyState === EventSource.OPEN).length;");
    }

    @SuppressWarnings("unchecked")
    private static List<String> received(WebDriver page) {
        return new ArrayList<>((List<String>) ((JavascriptExecutor) page).executeScript("return window.received;"));
    }

    /** POSTs from the page with fetch; the status and body, or "timeout" after 5 s without an answer. */
    private static String publishFromPage(WebDriver page, String topic, String data) {
        return (String) ((JavascriptExecutor) page).executeAsyncScript("""
            const done = arguments[arguments.length - 1];
            const timer = setTimeout(() => done('timeout'), 5000);
            fetch('publish?topic=' + arguments[0], { method: 'POST', body: arguments[1] })
              .then(r => r.text().then(t => { clearTimeout(timer); done(r.status + ' ' + t); }))
              .catch(e => { clearTimeout(timer); done('error ' + e); });""", topic, data);
    }

    private static WebElement rowWithData(WebDriver page, String text) {
        for (WebElement row : page.findElements(By.cssSelector("#events tbody tr"))) {
            if (cell(row, 4).equals(text)) {
                return row;
            }
        }
        return null;
    }

    private static String cell(WebElement row, int index) {
        return row.findElements(By.tagName("td")).get(index).getText();
    }
}
