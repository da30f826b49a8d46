package io.ssegateway.hub;

import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.Event;
import java.util.List;

/**
 * What the hub needs of a local stream: its topics, and somewhere to offer frames. Declared here,
 * where it is used, so the hub does not depend on the stream's implementation. Offers never block.
 */
public interface Subscriber {
    /** The topics it wants; fixed for its life. */
    List<String> topics();

    /** Offers a live event; never blocks. */
    void offer(Event event);

    /** Offers a live control frame (a {@code gap} event); never blocks. */
    void offerControl(ControlFrame frame);
}
