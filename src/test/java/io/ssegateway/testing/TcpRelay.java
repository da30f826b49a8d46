package io.ssegateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free loopback port to a server: what the gateway's broker connections go
 * through in tests, so that {@link #cutAll} can kill them with a reset (no FIN, as a dead network
 * path or a crashed middlebox would) whatever the broker. Threads are daemons; {@link #close}
 * stops everything.
 */
public final class TcpRelay implements AutoCloseable {
    private final int port;
    private final int targetPort;
    private volatile ServerSocket listener;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpRelay(int targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = first.getLocalPort();
        listen(first);
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        daemon(() -> accept(socket), "relay-accept-" + port).start();
    }

    /**
     * Stops listening, so that connecting is refused as it is when the server is down (a relay
     * that accepts and then resets would look like a server that died mid-request).
     */
    public void refuse() throws IOException {
        listener.close();
        cutAll();
    }

    /** Listens again on the same port. */
    public void listenAgain() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listen(socket);
    }

    public static TcpRelay to(int targetPort) throws IOException {
        return new TcpRelay(targetPort);
    }

    public int port() {
        return port;
    }

    /** Resets every relayed connection, both sides; new connections are relayed again. */
    public void cutAll() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        sockets.clear();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Socket server = new Socket();
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
                } catch (IOException e) {
                    client.setSoLinger(true, 0);
                    client.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(server);
                daemon(() -> pump(client, server), "relay-up").start();
                daemon(() -> pump(server, client), "relay-down").start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buf)) > 0;) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // one side went away; closing both below
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
    }
}
