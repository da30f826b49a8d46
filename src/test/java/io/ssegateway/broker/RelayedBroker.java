package io.ssegateway.broker;

import io.ssegateway.testing.LocalServer;
import io.ssegateway.testing.TcpRelay;
import java.io.IOException;

/**
 * A {@link BrokerFixture} for a server of the test's own that the gateway reaches through a
 * {@link TcpRelay}: cutting resets the relayed connections, stopping also stops the relay from
 * accepting (so connecting is refused, as with the server gone), stalling is SIGSTOP.
 */
public abstract class RelayedBroker implements BrokerFixture {
    protected final LocalServer server;
    private final TcpRelay relay;

    protected RelayedBroker(LocalServer server) throws IOException {
        this.server = server;
        this.relay = TcpRelay.to(server.port());
    }

    /** The port the gateway connects to. */
    protected int relayPort() {
        return relay.port();
    }

    @Override
    public void cutConnections() {
        relay.cutAll();
    }

    @Override
    public void stopServer() throws Exception {
        relay.refuse();
        server.stopProcess();
    }

    @Override
    public void startServer() throws Exception {
        server.startProcess();
        relay.listenAgain();
    }

    @Override
    public void stall() throws Exception {
        server.signal("STOP");
    }

    @Override
    public void resume() throws Exception {
        server.signal("CONT");
    }

    @Override
    public void close() throws Exception {
        relay.close();
        server.close();
    }
}
