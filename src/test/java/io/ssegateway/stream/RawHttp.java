package io.ssegateway.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Raw-socket HTTP/1.1 for byte-exact assertions. */
final class RawHttp {
    private RawHttp() {
    }

    /** Sends a GET and returns every byte that arrives within {@code window}. */
    static String readFor(int port, String pathAndQuery, Duration window) throws IOException {
        return readFor(port, pathAndQuery, "", window);
    }

    static String readFor(int port, String pathAndQuery, String extraHeaders, Duration window) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(("GET " + pathAndQuery + " HTTP/1.1\r\nHost: localhost\r\n" + extraHeaders + "\r\n")
                .getBytes(StandardCharsets.UTF_8));
            s.setSoTimeout(50);
            return drain(s.getInputStream(), window);
        }
    }

    static String drain(InputStream in, Duration window) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
            } catch (SocketTimeoutException e) {
                // keep reading until the window closes
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
