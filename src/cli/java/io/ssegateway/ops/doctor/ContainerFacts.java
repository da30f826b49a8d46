package io.ssegateway.ops.doctor;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the doctor runs in a container, and the container's memory and CPU limits (cgroup v2, or
 * v1), so its verdicts name the container's knobs instead of systemd's and the host's. Read where
 * the doctor runs: {@code podman exec <container> java -jar /opt/sse-gateway/sse-gateway.jar doctor}.
 *
 * @param runtime          podman, docker or kubernetes; null when not in a container
 * @param memoryLimitBytes the cgroup's memory limit, or null for none
 * @param cpuLimit         the cgroup's CPU quota in cores, or null for none
 */
public record ContainerFacts(String runtime, Long memoryLimitBytes, Double cpuLimit) {
    /** Not in a container. */
    public static final ContainerFacts NONE = new ContainerFacts(null, null, null);

    /** Limits above this are "no limit" (cgroup v1 writes a page-rounded Long.MAX_VALUE). */
    private static final long UNLIMITED = 1L << 60;

    public boolean inContainer() {
        return runtime != null;
    }

    /**
     * Reads the facts under {@code root} ({@code /}, or a directory with the same layout in tests)
     * and in {@code env} (this process's environment).
     */
    public static ContainerFacts read(Path root, java.util.Map<String, String> env) {
        String runtime = runtime(root, env);
        if (runtime == null) {
            return NONE;
        }
        Path cgroup = root.resolve("sys/fs/cgroup");
        String memoryMax = KernelFiles.read(cgroup.resolve("memory.max")); // cgroup v2, else v1 below
        Long memory = limit(memoryMax != null ? memoryMax : KernelFiles.read(cgroup.resolve("memory/memory.limit_in_bytes")));
        Double cpu;
        String cpuMax = KernelFiles.read(cgroup.resolve("cpu.max"));
        if (cpuMax != null) {
            String[] parts = cpuMax.trim().split("\\s+");
            cpu = parts[0].equals("max") || parts.length < 2 ? null : Double.parseDouble(parts[0]) / Double.parseDouble(parts[1]);
        } else {
            Long quota = KernelFiles.firstNumber(KernelFiles.read(cgroup.resolve("cpu/cpu.cfs_quota_us")));
            Long period = KernelFiles.firstNumber(KernelFiles.read(cgroup.resolve("cpu/cpu.cfs_period_us")));
            cpu = quota == null || period == null || quota <= 0 || period <= 0 ? null : (double) quota / period;
        }
        return new ContainerFacts(runtime, memory, cpu);
    }

    /** Whether {@code env} (a process's environment) is a Kubernetes pod's: Kubernetes sets its variables in every pod. */
    public static boolean inKubernetesPod(java.util.Map<String, String> env) {
        return env.get("KUBERNETES_SERVICE_HOST") != null;
    }

    /** A pod by its environment ({@link #inKubernetesPod}); podman and docker leave a file at the root. */
    private static String runtime(Path root, java.util.Map<String, String> env) {
        if (inKubernetesPod(env)) {
            return "kubernetes";
        }
        if (Files.exists(root.resolve("run/.containerenv"))) {
            return "podman";
        }
        if (Files.exists(root.resolve(".dockerenv"))) {
            return "docker";
        }
        String cgroups = KernelFiles.read(root.resolve("proc/1/cgroup"));
        if (cgroups != null && (cgroups.contains("kubepods") || cgroups.contains("docker") || cgroups.contains("libpod"))) {
            return cgroups.contains("kubepods") ? "kubernetes" : cgroups.contains("libpod") ? "podman" : "docker";
        }
        return null;
    }

    private static Long limit(String text) {
        if (text == null || text.trim().equals("max")) {
            return null;
        }
        Long value = KernelFiles.firstNumber(text);
        return value == null || value >= UNLIMITED ? null : value;
    }
}
