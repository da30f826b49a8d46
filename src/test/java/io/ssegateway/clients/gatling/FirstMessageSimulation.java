package io.ssegateway.clients.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.time.Duration;

/**
 * Gatling's SSE client as its users write a check: connect, and check the first message the
 * stream delivers, which must be what a publisher sent a second later. Run by {@code GatlingSseTest}
 * in a JVM of its own; the gateway comes from system properties:
 * {@code gateway.url}, {@code gateway.stream} (path and query), {@code gateway.publish} (path and
 * query), {@code gateway.body}, {@code gateway.contentType}, {@code gateway.token} (empty: none).
 * Any failed check fails the run's assertion, so Gatling exits non-zero.
 */
public final class FirstMessageSimulation extends Simulation {
    private static final String BODY = System.getProperty("gateway.body");

    private final ScenarioBuilder subscriber = scenario("subscriber").exec(
        sse("connect").get(System.getProperty("gateway.stream"))
            .await(Duration.ofSeconds(10))
            .on(sse.checkMessage("first message").check(jsonPath("$.data").is("hello"))),
        sse("close").close());

    private final ScenarioBuilder publisher = scenario("publisher")
        .pause(Duration.ofSeconds(2))
        .exec(publish());

    private static HttpRequestActionBuilder publish() {
        HttpRequestActionBuilder post = http("publish").post(System.getProperty("gateway.publish"))
            .header("Content-Type", System.getProperty("gateway.contentType")).body(StringBody(BODY));
        String token = System.getProperty("gateway.token", "");
        return token.isEmpty() ? post : post.header("Authorization", "Bearer " + token);
    }

    {
        setUp(subscriber.injectOpen(atOnceUsers(1)), publisher.injectOpen(atOnceUsers(1)))
            .protocols(http.baseUrl(System.getProperty("gateway.url")))
            .assertions(global().failedRequests().count().is(0L), global().successfulRequests().count().gte(3L));
    }
}
