package io.ssegateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw-socket HTTP/1.1 for byte-exact assertions. */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * Writes {@code request} on a new connection exactly as given (a broken client's or an
     * attacker's bytes) and returns what arrives until {@code marker} (null: none), the peer
     * closes or resets the connection, or {@code window} ends.
     */
    public static String exchange(int port, String request, String marker, Duration window) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(50);
            return drainUntil(s.getInputStream(), marker, window);
        }
    }

    /** Every byte that arrives within {@code window}, or until the peer closes or resets the connection. */
    public static String drain(InputStream in, Duration window) throws IOException {
        return drainUntil(in, null, window);
    }

    /**
     * Reads until {@code marker} (null: none) has arrived, the peer closes or resets the
     * connection, or {@code window} ends. The socket needs a short read timeout.
     */
    public static String drainUntil(InputStream in, String marker, Duration window) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline && (marker == null || !out.toString(StandardCharsets.ISO_8859_1).contains(marker))) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                // keep reading until the window closes
            } catch (java.net.SocketException reset) {
                break;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The response's status line and headers (CR removed), up to the blank line. */
    public static String head(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            if (b != '\r') {
                sb.append((char) b);
            }
            if (sb.length() >= 2 && sb.charAt(sb.length() - 1) == '\n' && sb.charAt(sb.length() - 2) == '\n') {
                break;
            }
        }
        return sb.toString();
    }
}
