package io.ssegateway.broker;

import io.ssegateway.event.Event;

/** Receives a broker's events, one at a time and in id order, on the broker's thread. Must not block. */
@FunctionalInterface
public interface EventSink {
    void deliver(Event event);
}
