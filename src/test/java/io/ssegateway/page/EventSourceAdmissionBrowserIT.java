package io.ssegateway.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Browser;
import io.ssegateway.testing.Clients;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.TestGateway;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The edge issue's point 3 with the client it is about: Chromium's native {@code EventSource}.
 * A full node must never leave it CLOSED; it must come back by itself once there is room.
 */
class EventSourceAdmissionBrowserIT {

    @Test
    void aFullNodeNeverLeavesANativeEventSourceClosedAndItStreamsOnceThereIsRoom() throws Exception {
        org.eclipse.jetty.client.HttpClient http = Clients.started(2);
        try (TestGateway gw = TestGateway.start("max-streams", "1", "retry", "1s");
             Browser browser = Browser.start(1024, 768)) {
            SseClient holder = SseClient.connect(http, gw.url("/events?topic=other"));
            holder.nextComment(Duration.ofSeconds(5));
            browser.driver().get(gw.url("/"));
            JavascriptExecutor js = (JavascriptExecutor) browser.driver();

            // The control: a non-200 answer closes a native EventSource for good, in this very browser.
            js.executeScript("window.control = new EventSource('publish?topic=x');");
            browser.await(d -> (Long) js.executeScript("return window.control.readyState;") == 2L, Duration.ofSeconds(5));

            js.executeScript("window.log = []; window.es = new EventSource('events?topic=b');"
                + "es.onopen = () => log.push('open');"
                + "es.onerror = () => log.push('error:' + es.readyState);"
                + "es.addEventListener('server-busy', e => log.push('busy:' + JSON.parse(e.data).reason));"
                + "es.onmessage = e => log.push('message:' + e.data);");
            Thread.sleep(3000);
            @SuppressWarnings("unchecked")
            List<String> whileFull = (List<String>) js.executeScript("return window.log.slice();");
            assertTrue(whileFull.contains("busy:capacity"), "the browser saw the server-busy event: " + whileFull);
            assertTrue(whileFull.stream().filter(e -> e.equals("busy:capacity")).count() >= 2,
                "it came back by itself and was told again: " + whileFull);
            assertTrue(!whileFull.contains("error:2"), "never CLOSED: " + whileFull);
            assertTrue((Long) js.executeScript("return es.readyState;") != 2L);

            holder.close();
            browser.await(d -> (Long) js.executeScript("return es.readyState;") == 1L, Duration.ofSeconds(10));
            gw.publishOk("b", "hello browser");
            browser.await(d -> ((List<?>) js.executeScript("return window.log;")).contains("message:hello browser"),
                Duration.ofSeconds(5));
            assertEquals(1, gw.gateway().streamNode().streamCount());
        } finally {
            http.stop();
        }
    }
}
