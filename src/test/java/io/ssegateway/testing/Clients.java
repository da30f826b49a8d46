package io.ssegateway.testing;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** Jetty HttpClients sized for many concurrent streams. */
public final class Clients {
    private Clients() {
    }

    public static HttpClient started(int maxConnections) throws Exception {
        HttpClient http = new HttpClient();
        QueuedThreadPool pool = new QueuedThreadPool(32);
        pool.setName("test-client");
        http.setExecutor(pool);
        http.setMaxConnectionsPerDestination(maxConnections);
        http.setMaxRequestsQueuedPerDestination(maxConnections * 2);
        http.setIdleTimeout(0);
        http.setConnectTimeout(10_000);
        http.start();
        return http;
    }
}
