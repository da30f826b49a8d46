package io.ssegateway.clients.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.SseMessageCheck;
import java.time.Duration;

/**
 * A load test as a Gatling user writes one: {@code gateway.users} virtual users each hold one
 * stream of a topic (all of them connecting at once), and a publisher, once the gateway's
 * {@code /health} counts them all, posts {@code gateway.events} events of 1,000 bytes a second
 * apart. Every user checks that the messages it gets are those events, whole and in order: the
 * first message of its stream is the first event. Run by {@code GatlingSseTest} in a JVM of its own
 * with {@code gateway.url}; any failed check fails the run's assertions, so Gatling exits non-zero.
 */
public final class BroadcastSimulation extends Simulation {
    private static final int USERS = Integer.getInteger("gateway.users", 1000);
    private static final int EVENTS = Integer.getInteger("gateway.events", 3);
    private static final String TOPIC = "gatling-broadcast";
    private static final Duration ALL_CONNECTED_WITHIN = Duration.ofSeconds(60);

    /** Event {@code n}'s body, 1,000 bytes that name it. */
    private static String event(int n) {
        String name = "event-" + n + " ";
        return name + "x".repeat(1000 - name.length());
    }

    /** The check of a stream's next message: event {@code n}, whole. */
    private static SseMessageCheck isEvent(int n) {
        return sse.checkMessage("event " + n).check(jsonPath("$.data").is(event(n)));
    }

    private static ChainBuilder subscribe() {
        ChainBuilder chain = exec(sse("connect").get("/events?topic=" + TOPIC)
            .await(ALL_CONNECTED_WITHIN.plusSeconds(10)).on(isEvent(1)));
        for (int n = 2; n <= EVENTS; n++) {
            chain = chain.exec(sse("event " + n).setCheck().await(Duration.ofSeconds(10)).on(isEvent(n)));
        }
        return chain.exec(sse("close").close());
    }

    /** Asks {@code /health} until it counts every user's stream (at most {@link #ALL_CONNECTED_WITHIN}), then publishes. */
    private static ChainBuilder publish() {
        ChainBuilder chain = exec(session -> session.set("streams", 0))
            .asLongAsDuring(session -> session.getInt("streams") < USERS, ALL_CONNECTED_WITHIN).on(
                exec(http("streams open").get("/health").check(jsonPath("$.streams").ofInt().saveAs("streams")))
                    .pause(Duration.ofMillis(200)));
        for (int n = 1; n <= EVENTS; n++) {
            chain = chain.exec(http("publish").post("/publish?topic=" + TOPIC).header("Content-Type", "text/plain")
                .body(StringBody(event(n))).check(status().is(200))).pause(Duration.ofSeconds(1));
        }
        return chain;
    }

    {
        setUp(scenario("subscribers").exec(subscribe()).injectOpen(atOnceUsers(USERS)),
            scenario("publisher").exec(publish()).injectOpen(atOnceUsers(1)))
            .protocols(http.baseUrl(System.getProperty("gateway.url")))
            .assertions(global().failedRequests().count().is(0L),
                details("event " + EVENTS).successfulRequests().count().is((long) USERS));
    }
}
