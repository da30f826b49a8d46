package io.ssegateway.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.broker.LocalBroker;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.event.Event;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Publishing in-process keeps the rules of POST /publish: checked input, stored once, refused while draining. */
class DirectPublisherTest {
    private final LocalBroker broker = new LocalBroker(1000, 60_000, Clock.systemUTC());
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<String> rejected = new ArrayList<>();
    private final DirectPublisher publisher = new DirectPublisher(AccessPolicy.fromConfig(GatewayConfig.of(Map.of()).auth()),
        broker, draining::get, 100, new PublishObserver() {
            @Override
            public void eventPublished() {
            }

            @Override
            public void requestRejected(String reason) {
                rejected.add(reason);
            }
        }, Mirror.NONE);

    @Test
    void aValidEventIsStoredAndARepeatedKeyStoresNothing() throws Exception {
        Event first = publisher.publish("orders/42", "paid", "{}", "order-42-paid");
        Event again = publisher.publish("orders/42", "paid", "{}", "order-42-paid");
        Event other = publisher.publish("orders/42", "paid", "{}", "order-42-refunded");
        assertEquals(first.id(), again.id());
        assertNotEquals(first.id(), other.id());
    }

    @Test
    void badInputIsRefusedWithThePublishServletsCodes() {
        assertEquals("invalid-topic", assertThrows(InvalidPublication.class, () -> publisher.publish("no spaces", null, "x", null)).code());
        assertEquals("invalid-event-type", assertThrows(InvalidPublication.class, () -> publisher.publish("t", "1bad", "x", null)).code());
        assertEquals("invalid-idempotency-key", assertThrows(InvalidPublication.class, () -> publisher.publish("t", null, "x", "a b")).code());
        assertEquals("invalid-utf8", assertThrows(InvalidPublication.class, () -> publisher.publish("t", null, "\uD800", null)).code());
        InvalidPublication large = assertThrows(InvalidPublication.class, () -> publisher.publish("t", null, "é".repeat(51), null));
        assertEquals(413, large.status());
        assertEquals("body-too-large", large.code());
        assertEquals(List.of("bad-input", "bad-input", "bad-input", "bad-input", "bad-input"), rejected);
    }

    @Test
    void aDrainingNodeRefuses() {
        draining.set(true);
        assertEquals("draining", assertThrows(Publication.NotStored.class, () -> publisher.publish("t", null, "x", null)).code());
    }
}
