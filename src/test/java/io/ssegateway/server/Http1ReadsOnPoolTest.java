package io.ssegateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.junit.jupiter.api.Test;

/**
 * {@link Http1ReadsOnPool} on a server that declares its requests non-blocking, as the gateway's does
 * ({@link InPlaceStreamOpening}): an HTTP/1.1 connection's first read is made where the selector finds
 * it, as Jetty would; its later reads are blocking, so the selector hands them to the pool, where
 * Jetty's own connection would keep following the server.
 */
class Http1ReadsOnPoolTest {
    @Test
    void anHttp1ConnectionsReadsAfterItsFirstAreBlockingOnANonBlockingServer() {
        Server server = new Server();
        server.setHandler(new InPlaceStreamOpening(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return false;
            }
        }));
        ServerConnector connector = new ServerConnector(server);
        assertEquals(InvocationType.NON_BLOCKING, server.getInvocationType());

        assertEquals(List.of(InvocationType.NON_BLOCKING, InvocationType.NON_BLOCKING),
            readInvocationTypes(new HttpConnectionFactory(new HttpConfiguration()), connector),
            "Jetty's own HTTP/1.1 connection follows the server");
        assertEquals(List.of(InvocationType.NON_BLOCKING, InvocationType.BLOCKING),
            readInvocationTypes(new Http1ReadsOnPool(new HttpConfiguration()), connector));
    }

    /**
     * The invocation types of the first two reads a connection of {@code factory} asks its endpoint
     * for: when opened, and when the first found nothing to read.
     */
    private static List<InvocationType> readInvocationTypes(HttpConnectionFactory factory, ServerConnector connector) {
        ByteArrayEndPoint endPoint = new ByteArrayEndPoint();
        Connection connection = factory.newConnection(connector, endPoint);
        endPoint.setConnection(connection);
        connection.onOpen();
        InvocationType first = endPoint.getFillInterest().getCallbackInvocationType();
        endPoint.getFillInterest().fillable();
        return List.of(first, endPoint.getFillInterest().getCallbackInvocationType());
    }
}
