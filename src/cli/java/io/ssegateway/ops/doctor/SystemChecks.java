package io.ssegateway.ops.doctor;

import io.ssegateway.ops.Capacity;
import io.ssegateway.ops.FileLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Kernel and process limits for {@code streams} streams, read from a {@code /proc}-style tree
 * (the real {@code /}, or a directory of crafted files in tests).
 */
final class SystemChecks {
    /** Descriptors kept free besides the streams (the gateway's default fd-reserve). */
    static final int RESERVE = 256;
    /**
     * The settings checked here that every kubelet lets a pod set (its safe sysctls; tcp_fin_timeout
     * since Kubernetes 1.29). The others are unsafe: a pod that sets one is refused where the
     * kubelet does not allow it.
     */
    private static final Set<String> KUBERNETES_SAFE = Set.of("net.ipv4.ip_local_port_range", "net.ipv4.tcp_fin_timeout");
    /**
     * Heap per stream to plan for: live heap measured ~6.4 KB on JDK 17 (DESIGN.md); 8 KB leaves
     * room for queues and GC headroom.
     */
    static final long HEAP_PER_STREAM = 8 * 1024;
    /** The gateway's heap besides its streams (classes, Jetty, metrics, history of a quiet node). */
    static final long BASELINE_HEAP = 64L * 1024 * 1024;

    private final Path root;
    private final int streams;

    private final ContainerFacts container;

    SystemChecks(Path root, int streams, ContainerFacts container) {
        this.root = root;
        this.streams = streams;
        this.container = container;
    }

    /** @param service the running gateway's own heap and limits, or null (then they are not judged) */
    List<Check> run(ServiceFacts service) {
        List<Check> out = new ArrayList<>();
        if (container.inContainer()) {
            out.add(container());
        }
        long needed = (long) streams + RESERVE;
        out.add(service != null ? serviceNofile(service, needed) : nofile(needed));
        out.add(atLeast("fs.file-max", "sys/fs/file-max", needed * 2,
            "the whole host, including a proxy on it, holds two descriptors per proxied stream"));
        out.add(atLeast("fs.nr_open", "sys/fs/nr_open", needed, "the ceiling for LimitNOFILE / ulimit -n"));
        out.add(acceptQueue());
        out.add(atLeast("tcp_max_syn_backlog", "sys/net/ipv4/tcp_max_syn_backlog", 4096, "half-open connections during storms"));
        out.add(portRange());
        out.add(finTimeout());
        out.add(twReuse());
        out.add(heap(service));
        return out;
    }

    private Check serviceNofile(ServiceFacts service, long needed) {
        String found = "the running service: soft " + service.openFileLimit() + " (admits " + service.maxStreams()
            + " streams); need " + needed + " (" + streams + " streams + " + RESERVE + " reserve)";
        return service.openFileLimit() >= needed ? Check.pass("nofile", found)
            : Check.fail("nofile", found, container.inContainer() ? containerNofile(needed)
                : "systemd: LimitNOFILE=" + Math.max(needed, 1048576) + " (systemd/sse-gateway.service), then restart the service");
    }

    private Check nofile(long needed) {
        try {
            FileLimits limits = FileLimits.parse(Files.readAllLines(root.resolve("self/limits")));
            if (limits == null) {
                return Check.warn("nofile", "no 'Max open files' line in " + root.resolve("self/limits"), "run on Linux");
            }
            String found = "soft " + limits.soft() + ", hard " + limits.hard() + "; need " + needed
                + " (" + streams + " streams + " + RESERVE + " reserve)";
            if (limits.soft() >= needed) {
                return Check.pass("nofile", found);
            }
            return Check.fail("nofile", found, container.inContainer() ? containerNofile(needed)
                : "systemd: LimitNOFILE=" + Math.max(needed, 1048576) + " (systemd/sse-gateway.service); shell: ulimit -n "
                + needed + "; containers: --ulimit nofile=" + needed + ":" + needed);
        } catch (IOException e) {
            return Check.warn("nofile", "cannot read " + root.resolve("self/limits") + ": " + e.getMessage(), "run on Linux");
        }
    }

    private Check atLeast(String name, String file, long min, String why) {
        Long value = number(file);
        if (value == null) {
            return unreadable(name, file);
        }
        String found = value + " (want >= " + min + ": " + why + ")";
        return value >= min ? Check.pass(name, found) : Check.fail(name, found, lastingSysctl(sysctlName(name), Long.toString(min)));
    }

    private Check unreadable(String name, String file) {
        return Check.warn(name, "cannot read " + root.resolve(file), "check it by hand: sysctl " + name);
    }

    /**
     * {@link #sysctl} and how to keep the setting: a host's lasts only if persisted; a container's
     * {@code net.*} setting is given each time it starts, so there is nothing to persist.
     */
    private String lastingSysctl(String name, String value) {
        return sysctl(name, value) + (container.inContainer() && name.startsWith("net.") ? ""
            : " and persist it in /etc/sysctl.d (systemd/99-sse-gateway.conf)");
    }

    /**
     * The accept queue, where a reconnect storm's connections wait until the server takes them: the
     * gateway asks {@link Capacity#ACCEPT_BACKLOG} and gets at most {@code net.core.somaxconn}. A SYN that
     * finds it full is dropped, and its client retries 1 s, then 3 s later: 15,000 HTTP/1.1 clients
     * connecting at once to a fresh node overflowed 4,096 by 2,055-2,725 SYNs and none overflowed
     * 65,535 (docs/performance.md). Below 4,096 (Linux's default) it fails; below the streams, up to
     * what the gateway asks, it warns.
     */
    private Check acceptQueue() {
        Long value = number("sys/net/core/somaxconn");
        if (value == null) {
            return unreadable("net.core.somaxconn", "sys/net/core/somaxconn");
        }
        long storm = Math.min(streams, Capacity.ACCEPT_BACKLOG);
        String found = value + " (the gateway's accept queue for reconnect storms; want >= " + Math.max(4096, storm) + ")";
        String fix = lastingSysctl("net.core.somaxconn", Integer.toString(Capacity.ACCEPT_BACKLOG));
        if (value < 4096) {
            return Check.fail("net.core.somaxconn", found, fix);
        }
        return value >= storm ? Check.pass("net.core.somaxconn", found)
            : Check.warn("net.core.somaxconn", found + ": a storm of more clients at once has SYNs dropped, retried 1 s and 3 s later", fix);
    }

    /**
     * The ports a proxy on this host has for its upstream connections to one node: one per stream.
     * Linux gives {@code connect()} the even half of the range first; once a proxy holds that many
     * connections to one address, every further connect searches the whole even half before it
     * takes an odd port: nginx forwarding 18,000 streams to one node with Debian's range (14,116
     * even ports) stalled at 14,216 with its workers at full CPU and needed 16 s, against 9 s with
     * 1024-65535 (docs/performance.md). So the range must hold twice the streams, or a reconnect
     * storm through the proxy slows down past half of it.
     */
    private Check portRange() {
        String text = read("sys/net/ipv4/ip_local_port_range");
        if (text == null) {
            return Check.warn("ip_local_port_range", "cannot read it", "sysctl net.ipv4.ip_local_port_range");
        }
        String[] parts = text.trim().split("\\s+");
        long ports = Long.parseLong(parts[1]) - Long.parseLong(parts[0]) + 1;
        long triedFirst = ports / 2;
        String found = parts[0] + "-" + parts[1] + " = " + ports + " ports per upstream address, " + triedFirst
            + " tried first by connect() (a proxy needs one per stream)";
        if (triedFirst >= streams) {
            return Check.pass("ip_local_port_range", found);
        }
        String why = ports >= streams
            ? "; past " + triedFirst + " connections to one node a proxy's every connect searches them all (a storm slows)"
            : "; a proxy runs out of ports to the node";
        return Check.warn("ip_local_port_range", found + why, sysctl("net.ipv4.ip_local_port_range", "\"1024 65535\"")
            + "; beyond ~32,000 streams per node give the proxy several source addresses (nginx proxy_bind, HAProxy source)"
            + " or the node several addresses");
    }

    private Check finTimeout() {
        Long value = number("sys/net/ipv4/tcp_fin_timeout");
        if (value == null) {
            return Check.warn("tcp_fin_timeout", "cannot read it", "sysctl net.ipv4.tcp_fin_timeout");
        }
        return value <= 30 ? Check.pass("tcp_fin_timeout", value + " s")
            : Check.warn("tcp_fin_timeout", value + " s: closed connections linger", sysctl("net.ipv4.tcp_fin_timeout", "15"));
    }

    private Check twReuse() {
        Long value = number("sys/net/ipv4/tcp_tw_reuse");
        if (value == null) {
            return Check.warn("tcp_tw_reuse", "cannot read it", "sysctl net.ipv4.tcp_tw_reuse");
        }
        return value == 1 ? Check.pass("tcp_tw_reuse", "1")
            : Check.warn("tcp_tw_reuse", value + (value == 2 ? " (reuse for loopback only)" : "")
                + ": a proxy's reconnect storm can run out of ports in TIME_WAIT",
                sysctl("net.ipv4.tcp_tw_reuse", "1"));
    }

    /**
     * The running service's heap against its streams: idle streams need {@link #HEAP_PER_STREAM}
     * each (FAIL below that), and every stream's queue full at once needs {@code queue-max-bytes}
     * more each (WARN below that: a slow spell of every client at once could exhaust the heap).
     */
    private Check heap(ServiceFacts service) {
        if (service == null) {
            return Check.warn("jvm heap", "not checked: the service's heap is unknown",
                "give --url of a running node (or of its proxy) so the doctor reads the service's own heap");
        }
        long idle = BASELINE_HEAP + streams * HEAP_PER_STREAM;
        long worst = idle + (long) streams * service.queueMaxBytes();
        String found = "the running service: max heap " + mb(service.heapMaxBytes()) + "; " + streams + " idle streams need "
            + mb(idle) + ", with every queue full (" + service.queueMaxBytes() / 1024 + " KB each) " + mb(worst);
        long worstMb = Math.max(1, (worst + (1 << 20) - 1) >> 20);
        String fix = container.inContainer()
            ? "a container memory limit of at least " + 2 * worstMb + " MB (the image's JVM profile gives the heap half of it): "
                + "podman/docker run --memory " + 2 * worstMb + "m, Compose mem_limit, Kubernetes resources.limits.memory; "
                + "or a smaller queue-max-bytes"
            : "java -Xmx" + worstMb + "m (systemd/sse-gateway.service ExecStart), or a smaller queue-max-bytes";
        if (service.heapMaxBytes() < idle) {
            return Check.fail("jvm heap", found, fix);
        }
        return service.heapMaxBytes() >= worst ? Check.pass("jvm heap", found) : Check.warn("jvm heap", found, fix);
    }

    /**
     * The container itself: a memory limit (without one the JVM sizes its heap from the host's
     * memory, and the host's OOM killer decides) and enough CPU for a broadcast's fan-out.
     */
    private Check container() {
        String memory = container.memoryLimitBytes() == null ? "no memory limit" : "memory limit " + mb(container.memoryLimitBytes());
        String cpu = container.cpuLimit() == null ? "no CPU limit" : String.format(java.util.Locale.ROOT, "CPU limit %.2f cores", container.cpuLimit());
        String found = "in a " + container.runtime() + " container: " + memory + ", " + cpu;
        if (container.memoryLimitBytes() == null) {
            return Check.warn("container", found, "give the container a memory limit (podman/docker run --memory, Compose mem_limit, "
                + "Kubernetes resources.limits.memory): the image's JVM profile makes the heap half of it; without one the "
                + "heap is half of the host's memory, which other containers share");
        }
        if (container.cpuLimit() != null && container.cpuLimit() < 1.0) {
            return Check.warn("container", found, "a broadcast to every stream is CPU-bound: give the container at least one "
                + "core (Kubernetes: a CPU request without a limit, so it is never throttled in the middle of a fan-out)");
        }
        return Check.pass("container", found);
    }

    private String containerNofile(long needed) {
        return "the container's open-file limit: podman/docker run --ulimit nofile=" + needed + ":" + needed
            + ", Compose ulimits.nofile; Kubernetes pods get the runtime's limit (containerd and CRI-O: 1048576), "
            + "set in the runtime's service on the node";
    }

    /**
     * How to set a kernel setting from where the doctor runs. In a container the {@code net.*}
     * settings are the container's own (its network namespace): they are set when it starts; the
     * others are the host's, whose kernel it shares.
     */
    private String sysctl(String name, String value) {
        if (!container.inContainer()) {
            return "sysctl -w " + name + "=" + value;
        }
        if (name.startsWith("net.")) {
            return "in the container's own network namespace: podman/docker run --sysctl " + name + "=" + value
                + ", Compose sysctls, Kubernetes pod securityContext.sysctls" + (KUBERNETES_SAFE.contains(name) ? ""
                    : " where the kubelet allows this unsafe sysctl (--allowed-unsafe-sysctls; elsewhere it refuses the pod)");
        }
        return "on the host (a container shares its kernel; Kubernetes: the node): sysctl -w " + name + "=" + value;
    }

    private Long number(String file) {
        return KernelFiles.firstNumber(read(file));
    }

    private String read(String file) {
        return KernelFiles.read(root.resolve(file));
    }

    private static String sysctlName(String name) {
        return name.startsWith("tcp_") ? "net.ipv4." + name : name;
    }

    private static String mb(long bytes) {
        return bytes / (1024 * 1024) + " MB";
    }
}
