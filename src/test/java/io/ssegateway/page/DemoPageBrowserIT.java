package io.ssegateway.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.broker.redis.RedisPublisher;
import io.ssegateway.testing.Browser;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.GatewayProcess;
import io.ssegateway.testing.RedisServer;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** Issue 7: the demo page and dashboard in real headless Chromium against a real gateway. */
class DemoPageBrowserIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void subscribingAndPublishingThroughThePageShowsEventsWithoutConsoleErrors() throws Exception {
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            subscribe(browser, "news, sport", "message, headline");
            page.findElement(By.id("pub-data")).clear();
            page.findElement(By.id("pub-data")).sendKeys("hello from the page");
            page.findElement(By.id("pub-type")).sendKeys("headline");
            page.findElement(By.id("publish")).click();
            browser.await(d -> rowWithData(d, "hello from the page") != null, WAIT);
            WebElement row = rowWithData(page, "hello from the page");
            assertEquals("news", cell(row, 1), "topic column");
            assertEquals("headline", cell(row, 2), "type column");
            assertTrue(page.findElement(By.id("publish-result")).getText().startsWith("published "));

            String id = gw.publishOk("sport", "published with curl");
            browser.await(d -> rowWithData(d, "published with curl") != null, WAIT);
            assertEquals(id, cell(rowWithData(page, "published with curl"), 3));
            browser.screenshot("stream");
            assertEquals(List.of(), browser.consoleErrors(), "no console errors");
        }
    }

    /**
     * Issue 21, point 7: with the types field as the page opens (empty), the default type shows, a
     * type published from the page shows at once and is added to the list, and later events of that
     * type published elsewhere show too.
     */
    @Test
    void typedEventsShowWithoutListingTheirTypeWhenThePagePublishesThem() throws Exception {
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            assertEquals("", page.findElement(By.id("types")).getAttribute("value"), "nothing to fill in first");
            page.findElement(By.id("subscribe")).click();
            browser.await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")), WAIT);
            gw.publishOk("news", "default type");
            browser.await(d -> rowWithData(d, "default type") != null, WAIT);
            page.findElement(By.id("pub-data")).clear();
            page.findElement(By.id("pub-data")).sendKeys("typed from the page");
            page.findElement(By.id("pub-type")).sendKeys("headline");
            page.findElement(By.id("publish")).click();
            browser.await(d -> rowWithData(d, "typed from the page") != null, WAIT);
            assertEquals("headline", page.findElement(By.id("types")).getAttribute("value"));
            assertEquals(200, gw.post("/publish?topic=news&event=headline", "typed with curl").statusCode());
            browser.await(d -> rowWithData(d, "typed with curl") != null, WAIT);
            assertEquals(List.of(), browser.consoleErrors(), "no console errors");
        }
    }

    @Test
    void dashboardNumbersMoveWhenLoadIsApplied() throws Exception {
        HttpClient http = Clients.started(64);
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(1280, 1400)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/#dashboard"));
            browser.await(d -> "0".equals(d.findElement(By.id("m-streams")).getText()), WAIT);
            List<SseClient> load = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                load.add(SseClient.connect(http, gw.url("/events?topic=load")));
            }
            long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < until) {
                gw.publishOk("load", "x".repeat(200));
            }
            browser.await(d -> "40".equals(d.findElement(By.id("m-streams")).getText()), WAIT);
            browser.await(d -> number(d.findElement(By.id("m-rate")).getText()) > 0, WAIT);
            browser.await(d -> d.findElement(By.id("m-latency")).getText().contains("ms"), WAIT);
            browser.screenshot("dashboard");
            assertEquals(List.of(), browser.consoleErrors(), "no console errors");
            load.forEach(SseClient::close);
        } finally {
            http.stop();
        }
    }

    /** Issue 13, point 7: the dashboard names the node it reads and says when its numbers are stale. */
    @Test
    void dashboardNamesItsNodeAndSaysWhenItsNumbersAreStale() throws Exception {
        TestGateway gw = TestGateway.start();
        try (Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/#dashboard"));
            String node = gw.gateway().nodeName();
            browser.await(d -> node.equals(d.findElement(By.id("m-node")).getAttribute("data-node")), WAIT);
            assertTrue(page.findElement(By.id("m-node")).getText().contains("version " + io.ssegateway.ops.BuildInfo.version()));
            assertEquals("false", page.findElement(By.id("m-stale")).getAttribute("data-stale"));
            gw.stop();
            browser.await(d -> "true".equals(d.findElement(By.id("m-stale")).getAttribute("data-stale")), WAIT);
            assertTrue(page.findElement(By.id("m-stale")).getText().startsWith("stale: last data"),
                page.findElement(By.id("m-stale")).getText());
            browser.screenshot("dashboard-stale");
        } finally {
            gw.close();
        }
    }

    @Test
    void pageFitsAPhoneScreen() throws Exception {
        try (TestGateway gw = TestGateway.start(); Browser browser = Browser.start(390, 844)) {
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            subscribe(browser, "news", "message");
            gw.publishOk("news", "a fairly long line of text that must wrap on a narrow screen instead of widening the page");
            browser.await(d -> page.findElements(By.cssSelector("#events tbody tr")).size() == 1, WAIT);
            long overflow = (Long) ((JavascriptExecutor) page).executeScript(
                "return document.documentElement.scrollWidth - window.innerWidth;");
            assertTrue(overflow <= 0, "no horizontal scrolling of the page: " + overflow + " px");
            browser.screenshot("phone");
        }
    }

    @Test
    void afterAGatewayRestartInRedisModeThePageReconnectsAndShowsWhatWasPublishedMeanwhile() throws Exception {
        try (RedisServer redis = RedisServer.start(); Browser browser = Browser.start(1280, 900)) {
            int port = GatewayProcess.freePort();
            String[] settings = {"port", Integer.toString(port), "redis-url", redis.url(), "retry", "500ms",
                "shutdown-retry-jitter", "500ms"};
            TestGateway gw = TestGateway.start(settings);
            WebDriver page = browser.driver();
            page.get(gw.url("/"));
            subscribe(browser, "r", "message");
            gw.publishOk("r", "before restart");
            browser.await(d -> rowWithData(d, "before restart") != null, WAIT);

            gw.stop();
            browser.await(d -> "reconnecting".equals(d.findElement(By.id("state")).getAttribute("data-state")), WAIT);
            List<String> meanwhile = new ArrayList<>();
            try (RedisPublisher publisher = RedisPublisher.connect(URI.create(redis.url()))) {
                for (int i = 1; i <= 3; i++) {
                    meanwhile.add(publisher.publish("r", null, "while down " + i).id().toString());
                }
            }
            try (TestGateway again = TestGateway.start(settings)) {
                browser.await(d -> rowWithData(d, "while down 3") != null, WAIT);
                browser.await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")), WAIT);
                List<String> ids = new ArrayList<>();
                for (WebElement row : page.findElements(By.cssSelector("#events tbody tr"))) {
                    if (cell(row, 4).startsWith("while down")) {
                        ids.add(0, cell(row, 3)); // newest rows are on top
                    }
                }
                assertEquals(meanwhile, ids, "the events published while down, in order, once each");
                assertTrue(rowWithData(page, "reconnected; the gateway resumes after Last-Event-ID") != null,
                    "the page shows the resume");
                browser.screenshot("restart");
            }
        }
    }

    private static void subscribe(Browser browser, String topics, String types) {
        WebDriver page = browser.driver();
        page.findElement(By.id("topics")).clear();
        page.findElement(By.id("topics")).sendKeys(topics);
        page.findElement(By.id("types")).clear();
        page.findElement(By.id("types")).sendKeys(types);
        page.findElement(By.id("subscribe")).click();
        browser.await(d -> "open".equals(d.findElement(By.id("state")).getAttribute("data-state")), WAIT);
    }

    private static WebElement rowWithData(WebDriver page, String text) {
        for (WebElement row : page.findElements(By.cssSelector("#events tbody tr"))) {
            if (cell(row, 4).startsWith(text)) {
                return row;
            }
        }
        return null;
    }

    private static String cell(WebElement row, int index) {
        return row.findElements(By.tagName("td")).get(index).getText();
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
