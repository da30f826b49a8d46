package io.ssegateway.broker;

import java.util.List;
import java.util.Map;

/**
 * One broker for {@link BrokerKit}: a real server of this test's own, reached through a
 * {@link io.ssegateway.testing.TcpRelay}, and the ways the field hurts it.
 */
public interface BrokerFixture extends AutoCloseable {
    /** Settings (key, value, key, value…) that make a gateway node use this broker. */
    List<String> settings();

    /** The same settings as environment variables, for a gateway process. */
    Map<String, String> environment();

    /** Resets every connection between the gateway nodes and the broker (no FIN). */
    void cutConnections();

    /** Stops the broker's server; {@link #startServer} starts it again on the same port (and store, if it has one). */
    void stopServer() throws Exception;

    void startServer() throws Exception;

    /** Freezes the server (SIGSTOP) until {@link #resume}. */
    void stall() throws Exception;

    void resume() throws Exception;

    /** The broker forgets every event and its sequence (Redis flushed, JetStream stream deleted). */
    void loseEverything() throws Exception;
}
