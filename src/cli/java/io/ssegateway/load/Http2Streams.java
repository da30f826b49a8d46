package io.ssegateway.load;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A run's streams over HTTP/2, several per connection. Each stream's bytes go through its
 * {@link SseConnection} and are counted by its {@link SelectorLoop}, under the loop's lock.
 */
interface Http2Streams extends AutoCloseable {
    /** Opens the options' streams, {@code perConnection} per connection, at the options' ramp. */
    void open(List<SelectorLoop> loops, InetSocketAddress server, int perConnection) throws Exception;

    /** What the streams did to come back (all zero without resume). */
    ResumeCounts resumes();
}
