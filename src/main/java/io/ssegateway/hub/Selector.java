package io.ssegateway.hub;

import io.ssegateway.event.Event;

/**
 * What a stream that picks events by their content wants (a Mercure stream's topic matchers and
 * token). Live events reach it through its topic's {@link Router}, which indexes selectors; this
 * method is for its history, which is read for that one stream and filtered event by event.
 */
public interface Selector {
    boolean wants(Event event);
}
