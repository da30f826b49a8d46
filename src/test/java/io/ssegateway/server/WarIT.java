package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.testing.Clients;
import io.ssegateway.testing.Json;
import io.ssegateway.testing.SseClient;
import io.ssegateway.testing.SseEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** Point 2 of the core issue: the built WAR, deployed under a context path, streams and resumes. */
class WarIT {
    private static final Path WAR = Path.of(System.getProperty("it.war", "target/sse-gateway.war"));

    @Test
    void warHoldsNoContainerJars() throws Exception {
        try (JarFile war = new JarFile(WAR.toFile())) {
            List<String> names = war.stream().map(e -> e.getName()).toList();
            assertTrue(names.contains("WEB-INF/web.xml"));
            assertTrue(names.contains("index.html"));
            assertTrue(names.contains("WEB-INF/classes/io/ssegateway/lifecycle/GatewayListener.class"));
            assertFalse(names.stream().anyMatch(n -> n.startsWith("WEB-INF/lib/jetty-")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("WEB-INF/lib/jakarta.servlet-api")), names.toString());
            assertFalse(names.stream().anyMatch(n -> n.startsWith("WEB-INF/classes/io/ssegateway/server/")));
        }
    }

    /**
     * The WAR carries the gateway only: the classes compiled from {@code src/main/java}, in its
     * packages, and none compiled from {@code src/cli/java} (the embedded server and the tools).
     */
    @Test
    void warCarriesTheGatewayAndNoServerOrToolClass() throws Exception {
        Set<String> warClasses;
        try (JarFile war = new JarFile(WAR.toFile())) {
            warClasses = war.stream().map(e -> e.getName())
                .filter(n -> n.startsWith("WEB-INF/classes/io/") && n.endsWith(".class"))
                .map(n -> n.substring("WEB-INF/classes/".length(), n.length() - ".class".length()).replaceFirst("\\$.*", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> gateway = sourceClasses(Path.of("src/main/java"));
        Set<String> cli = sourceClasses(Path.of("src/cli/java"));
        assertTrue(cli.size() > 30, "the jar's own classes: " + cli);
        assertEquals(gateway, warClasses, "the WAR's classes are exactly the gateway's");
        Set<String> packages = warClasses.stream().map(c -> c.substring(0, c.lastIndexOf('/')).replace('/', '.'))
            .collect(Collectors.toCollection(TreeSet::new));
        System.out.println("WAR: " + warClasses.size() + " top-level classes in " + packages);
    }

    /** Top-level class names (as paths without .class) of the sources under {@code root}. */
    private static Set<String> sourceClasses(Path root) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                .map(f -> root.relativize(f).toString().replace('\\', '/').replaceFirst("\\.java$", ""))
                .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** The built WAR in an embedded Jetty under {@code /gw}, started, on a free loopback port. */
    private static Server deploy(java.util.Map<String, String> initParameters) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        WebAppContext webapp = new WebAppContext(WAR.toString(), "/gw");
        initParameters.forEach(webapp::setInitParameter);
        webapp.setThrowUnavailableOnStartupException(true);
        server.setHandler(webapp);
        server.start();
        return server;
    }

    private static int port(Server server) {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Test
    void deployedWarStreamsPublishesAndResumesUnderItsContextPath() throws Exception {
        Server server = deploy(java.util.Map.of("sse.heartbeat", "2s"));
        org.eclipse.jetty.client.HttpClient http = Clients.started(8);
        HttpClient jdk = HttpClient.newHttpClient();
        try {
            String base = "http://127.0.0.1:" + port(server) + "/gw";
            String first;
            try (SseClient c = SseClient.connect(http, base + "/events?topic=war")) {
                c.nextComment(Duration.ofSeconds(10));
                first = publish(jdk, base, "one");
                SseEvent e = c.next();
                assertEquals(first, e.id());
                assertEquals("one", e.data());
                assertEquals("heartbeat", c.nextComment(Duration.ofSeconds(5)), "init parameter sse.heartbeat applies");
            }
            String second = publish(jdk, base, "two");
            try (SseClient resumed = SseClient.connect(http, base + "/events?topic=war", first)) {
                assertEquals(second, resumed.next().id());
            }
            HttpResponse<String> page = jdk.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("sse-gateway"));
        } finally {
            http.stop();
            server.stop();
        }
    }

    @Test
    void demoPageWorksUnderTheContextPathInABrowser() throws Exception {
        Server server = deploy(java.util.Map.of());
        try (io.ssegateway.testing.Browser browser = io.ssegateway.testing.Browser.start(1280, 900)) {
            org.openqa.selenium.WebDriver page = browser.driver();
            page.get("http://127.0.0.1:" + port(server) + "/gw/");
            page.findElement(org.openqa.selenium.By.id("subscribe")).click();
            browser.await(d -> "open".equals(d.findElement(org.openqa.selenium.By.id("state")).getAttribute("data-state")),
                Duration.ofSeconds(20));
            page.findElement(org.openqa.selenium.By.id("publish")).click();
            browser.await(d -> d.findElements(org.openqa.selenium.By.cssSelector("#events tbody tr")).size() == 1,
                Duration.ofSeconds(20));
            browser.screenshot("war-context-path");
            assertEquals(List.of(), browser.consoleErrors());
        } finally {
            server.stop();
        }
    }

    private static String publish(HttpClient jdk, String base, String data) throws Exception {
        HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create(base + "/publish?topic=war"))
            .POST(HttpRequest.BodyPublishers.ofString(data)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.field(r.body(), "id");
    }
}
