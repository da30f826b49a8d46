package io.ssegateway.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Setting;
import io.ssegateway.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kustomize manifests in {@code k8s/}, rendered by {@code kubectl kustomize} as a user renders
 * them, checked for what they promise. There is no cluster here: nothing is applied.
 */
class KubernetesManifestsIT {
    private static final Map<String, Map<String, Object>> BY_KIND = new HashMap<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void render() throws Exception {
        Processes.Ran ran = Processes.run(List.of("kubectl", "kustomize", "k8s"), Duration.ofMinutes(1));
        assertEquals(0, ran.exit(), ran.output());
        for (Object doc : new Yaml().loadAll(ran.output())) {
            Map<String, Object> resource = (Map<String, Object>) doc;
            assertNull(BY_KIND.put((String) resource.get("kind"), resource), "one of each kind");
        }
        assertEquals(java.util.Set.of("ConfigMap", "Service", "Deployment", "PodDisruptionBudget"), BY_KIND.keySet());
    }

    /** The node at {@code path} (map keys, list indexes) under {@code node}; fails if there is none. */
    private static Object at(Object node, String... path) {
        Object at = node;
        for (String step : path) {
            at = step.matches("[0-9]+") ? ((List<?>) at).get(Integer.parseInt(step)) : ((Map<?, ?>) at).get(step);
            assertNotNull(at, String.join(".", path) + " is missing at " + step);
        }
        return at;
    }

    private static String text(Object node, String... path) {
        return (String) at(node, path);
    }

    private static int integer(Object node, String... path) {
        return (Integer) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> map(Object node, String... path) {
        return (Map<String, V>) at(node, path);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node, String... path) {
        return (List<Map<String, Object>>) at(node, path);
    }

    private static Map<String, Object> container() {
        return map(BY_KIND.get("Deployment"), "spec", "template", "spec", "containers", "0");
    }

    private static Map<String, String> settings() {
        return map(BY_KIND.get("ConfigMap"), "data");
    }

    @Test
    void everyConfigMapEntryIsASettingWithAValidValue() throws Exception {
        Map<String, String> env = new HashMap<>(settings());
        for (String name : env.keySet()) {
            assertTrue(java.util.Arrays.stream(Setting.values()).anyMatch(s -> s.envName().equals(name)), name + " is a setting");
        }
        // The secret is mounted in the pod; here a file stands in for it, so the values are checked as the pod checks them.
        Path secret = Files.createTempFile("hs256", ".secret");
        Files.writeString(secret, "0123456789abcdef0123456789abcdef");
        env.replace("SSE_AUTH_HS256_SECRET_FILE", secret.toString());
        GatewayConfig config = GatewayConfig.resolve(Map.of(), Map.of(), env, Map.of());
        assertEquals("/run/secrets/sse-gateway/hs256", settings().get("SSE_AUTH_HS256_SECRET_FILE"));
        List<Map<String, Object>> mounts = list(container(), "volumeMounts");
        assertTrue(mounts.stream().anyMatch(m -> "/run/secrets/sse-gateway".equals(m.get("mountPath")) && Boolean.TRUE.equals(m.get("readOnly"))));
        assertEquals("sse-gateway-keys", at(BY_KIND.get("Deployment"), "spec", "template", "spec", "volumes", "0", "secret", "secretName"));
        assertTrue(config.limits().maxStreams() > 0);
        List<Map<String, Object>> envFrom = list(container(), "envFrom");
        assertEquals(at(BY_KIND.get("ConfigMap"), "metadata", "name"), at(envFrom.get(0), "configMapRef", "name"),
            "the pods read the rendered ConfigMap (its name carries the content hash, so a change rolls the pods)");
    }

    /**
     * Probes ask the management port, which the ConfigMap turns on at the containerPort they name:
     * on the main port they would wait behind a storm of reconnects (ManagementPortTest).
     */
    @Test
    void probesAreReadinessOnReadyAndLivenessOnHealthOnTheManagementPort() {
        assertEquals("/ready", at(container(), "readinessProbe", "httpGet", "path"));
        assertEquals("/health", at(container(), "livenessProbe", "httpGet", "path"));
        assertEquals("/health", at(container(), "startupProbe", "httpGet", "path"));
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            assertEquals("management", at(container(), probe, "httpGet", "port"), probe);
        }
        assertEquals(8080, integer(container(), "ports", "0", "containerPort"));
        assertEquals("http", at(container(), "ports", "0", "name"));
        assertEquals("management", at(container(), "ports", "1", "name"));
        GatewayConfig config = GatewayConfig.resolve(Map.of(), Map.of(), withoutFiles(settings()), Map.of());
        assertEquals(config.server().managementPort().orElseThrow(), integer(container(), "ports", "1", "containerPort"));
        assertEquals(config.server().port(), integer(container(), "ports", "0", "containerPort"));
        assertEquals(String.valueOf(config.server().managementPort().getAsInt()),
            at(BY_KIND.get("Deployment"), "spec", "template", "metadata", "annotations", "prometheus.io/port"));
        List<Map<String, Object>> servicePorts = list(BY_KIND.get("Service"), "spec", "ports");
        assertEquals(1, servicePorts.size(), "the management port is not the Service's");
        assertEquals("http", at(servicePorts.get(0), "targetPort"));
    }

    @Test
    void theGracePeriodCoversThePreStopPauseTheDrainAndTheJitter() {
        GatewayConfig config = GatewayConfig.resolve(Map.of(), Map.of(), withoutFiles(settings()), Map.of());
        int preStop = integer(container(), "lifecycle", "preStop", "sleep", "seconds");
        int grace = integer(BY_KIND.get("Deployment"), "spec", "template", "spec", "terminationGracePeriodSeconds");
        long needed = preStop + config.shutdown().drainTimeout().toSeconds() + config.shutdown().retryJitter().toSeconds();
        assertTrue(preStop >= 3, "endpoints need a moment to drop the pod: " + preStop);
        assertTrue(grace > needed, "grace " + grace + " s > preStop + drain-timeout + jitter = " + needed + " s");
    }

    @Test
    void aRollingUpdateKeepsCapacityAndWaitsForDrainedClientsToLand() {
        GatewayConfig config = GatewayConfig.resolve(Map.of(), Map.of(), withoutFiles(settings()), Map.of());
        Map<String, Object> deployment = BY_KIND.get("Deployment");
        assertEquals(0, integer(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable"));
        assertTrue(integer(deployment, "spec", "strategy", "rollingUpdate", "maxSurge") >= 1);
        int minReady = integer(deployment, "spec", "minReadySeconds");
        long landed = (config.streams().retry().toMillis() + config.shutdown().retryJitter().toMillis()) / 1000;
        assertTrue(minReady > landed, "the next pod drains after the last one's clients are back: " + minReady + " > " + landed);
        assertTrue(integer(deployment, "spec", "replicas") >= 2);
        assertEquals(1, integer(BY_KIND.get("PodDisruptionBudget"), "spec", "maxUnavailable"));
        Map<String, Object> podLabels = map(deployment, "spec", "template", "metadata", "labels");
        assertEquals((Object) podLabels, at(BY_KIND.get("PodDisruptionBudget"), "spec", "selector", "matchLabels"));
        assertEquals((Object) podLabels, at(BY_KIND.get("Service"), "spec", "selector"));
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithWritableTmp() {
        Map<String, Object> pod = map(BY_KIND.get("Deployment"), "spec", "template", "spec");
        assertEquals(Boolean.TRUE, at(pod, "securityContext", "runAsNonRoot"));
        assertEquals(10001, integer(pod, "securityContext", "runAsUser"), "the image's user");
        assertEquals(Boolean.TRUE, at(container(), "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, at(container(), "securityContext", "allowPrivilegeEscalation"));
        List<Map<String, Object>> mounts = list(container(), "volumeMounts");
        assertTrue(mounts.stream().anyMatch(m -> "/tmp".equals(m.get("mountPath"))), "the JVM's /tmp");
    }

    @Test
    void theMemoryLimitHoldsTheHeapTheReadmeFormulaAsksForMaxStreams() {
        GatewayConfig config = GatewayConfig.resolve(Map.of(), Map.of(), withoutFiles(settings()), Map.of());
        long limit = bytes(text(container(), "resources", "limits", "memory"));
        assertEquals(limit, bytes(text(container(), "resources", "requests", "memory")), "request = limit");
        long heap = limit / 2; // jvm/sse-gateway.args: MaxRAMPercentage=50
        long needed = (64L << 20) + (long) config.limits().maxStreams() * ((8L << 10) + config.streams().queueMaxBytes());
        assertTrue(needed <= heap, "64 MB + max-streams x (8 KB + queue-max-bytes) = " + needed + " fits the heap " + heap);
        Map<String, Object> limits = map(container(), "resources", "limits");
        assertFalse(limits.containsKey("cpu"), "no CPU limit: throttling stalls a fan-out");
    }

    private static long bytes(String quantity) {
        Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30);
        for (Map.Entry<String, Long> u : units.entrySet()) {
            if (quantity.endsWith(u.getKey())) {
                return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * u.getValue();
            }
        }
        return Long.parseLong(quantity);
    }

    /** The settings without the *_FILE ones, whose files exist only in the pod. */
    private static Map<String, String> withoutFiles(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>(settings);
        new ArrayList<>(env.keySet()).stream().filter(k -> k.endsWith("_FILE")).forEach(env::remove);
        return env;
    }
}
