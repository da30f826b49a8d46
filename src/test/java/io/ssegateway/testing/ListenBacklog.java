package io.ssegateway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A listening socket's accept queue as the kernel holds it: what a server asked of {@code listen()},
 * capped by {@code net.core.somaxconn}. A reconnect storm larger than it has SYNs dropped and retried
 * 1 s, then 3 s later.
 */
public final class ListenBacklog {
    /** What sse-gateway's servers ask for: the somaxconn that systemd/99-sse-gateway.conf sets. */
    public static final int ASKED = 65535;

    private ListenBacklog() {
    }

    /** The backlog of the TCP socket listening on {@code port} (what {@code ss} shows as its Send-Q). */
    public static int of(int port) throws Exception {
        return ss(List.of(), port);
    }

    /** The same in the network namespace of the running podman container {@code name}, entered with nsenter. */
    public static int ofContainer(String name, int port) throws Exception {
        String pid = Podman.run(Duration.ofSeconds(30), "inspect", "-f", "{{.State.Pid}}", name).trim();
        return ss(List.of("nsenter", "-t", pid, "-n"), port);
    }

    private static int ss(List<String> prefix, int port) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("ss", "-Hltn", "sport = :" + port));
        Processes.Ran ss = Processes.run(command, Duration.ofSeconds(10));
        assertEquals(0, ss.exit(), ss.output());
        String[] columns = ss.output().lines().findFirst().orElseThrow(() -> new AssertionError("nothing listens on " + port))
            .trim().split("\\s+");
        assertEquals("LISTEN", columns[0], ss.output());
        return Integer.parseInt(columns[2]);
    }

    /** What a server that asks {@link #ASKED} gets on this host. */
    public static int expected() throws Exception {
        // readAllLines, not readString: a /proc file reports size 0 and readString returned its first byte.
        int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).trim());
        return Math.min(ASKED, somaxconn);
    }
}
