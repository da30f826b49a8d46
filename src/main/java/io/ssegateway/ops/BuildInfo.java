package io.ssegateway.ops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's version, from the build ({@code build.properties}, filtered by Maven from the pom),
 * and the name of this node as /health, {@code sse_build_info} and the dashboard show it.
 */
public final class BuildInfo {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** Read once: /health reports it on every request. */
    private static final String VERSION = readVersion();

    private BuildInfo() {
    }

    /**
     * A name for a new gateway in this process: host and process id, and a number from the second
     * gateway in one JVM on (tests run several).
     */
    public static String newNodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        int n = INSTANCES.incrementAndGet();
        return host + "/" + ProcessHandle.current().pid() + (n > 1 ? "#" + n : "");
    }

    /** The version this code was built as, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    private static String readVersion() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/ssegateway/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
