package io.ssegateway.bench;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the benchmark scenarios with the gateway as its own process(es) and the load generator as
 * separate processes, so the gateway's memory and CPU are measured alone, and collects one JSON
 * object per scenario.
 */
public final class Benchmark {
    /** Events published while the million scenario's node is down: only Redis's history has them. */
    private static final int MISSED_EVENTS = 3;
    /** The load tool's heap in every scenario but the million's (which sizes it by its streams). */
    private static final List<String> LOAD_HEAP = List.of("-Xmx2g");

    private final Path jar;
    private final String java;
    private final List<String> jvmArgs;
    private final Path out;
    private final PrintStream log;
    private final String redisServer;
    private final String natsServer;
    /** Streams per HTTP/2 connection for S1–S4's load, or 0 for one HTTP/1.1 connection per stream. */
    private final int h2PerConnection;

    public Benchmark(Path jar, String javaHome, List<String> jvmArgs, Path out, PrintStream log, String redisServer,
                     String natsServer, int h2PerConnection) {
        this.jar = jar.toAbsolutePath();
        this.java = Path.of(javaHome, "bin", "java").toString();
        this.jvmArgs = jvmArgs;
        this.out = out;
        this.log = log;
        this.redisServer = redisServer;
        this.natsServer = natsServer;
        this.h2PerConnection = h2PerConnection;
    }

    /** S1: as many idle streams as one process allows; memory per stream. */
    public JsonObject idle(int streams) throws Exception {
        try (GatewayUnderTest g = gateway(List.of(), "s1")) {
            double heapBefore = g.heapAfterGc(jcmd());
            long rssBefore = ProcessProbe.rssBytes(g.pid());
            JsonObject load;
            try (Sampler sampler = new Sampler(List.of(g))) {
                load = load("s1", List.of("--url", g.url("/events?topic=idle"), "--streams", Integer.toString(streams),
                    "--duration", "3", "--source-addresses", "127.0.0.1-127.0.0.8", "--ramp", "4000"), g, sampler, loadProcess -> {
                        double heapAfter = g.heapAfterGc(jcmd());
                        long rssAfter = ProcessProbe.rssBytes(g.pid());
                        return Json.createObjectBuilder()
                            .add("rssBeforeBytes", rssBefore).add("rssAfterBytes", rssAfter)
                            .add("heapBeforeBytes", heapBefore).add("heapAfterBytes", heapAfter)
                            .add("rssPerStreamBytes", (rssAfter - rssBefore) / (double) streams)
                            .add("heapPerStreamBytes", (heapAfter - heapBefore) / streams);
                    });
            }
            return load;
        }
    }

    /** S2: a burst of {@code events} to {@code streams} streams on one topic; deliveries/s and CPU per delivery. */
    public JsonObject burst(int streams, int events) throws Exception {
        try (GatewayUnderTest g = gateway(List.of(), "s2")) {
            try (Sampler sampler = new Sampler(List.of(g))) {
                return load("s2", List.of("--url", g.url("/events?topic=burst"), "--streams", Integer.toString(streams),
                    "--publish-url", g.url("/publish?topic=burst"), "--publish-count", Integer.toString(events),
                    "--payload-bytes", "100", "--duration", "60", "--publish-delay", "2",
                    "--source-addresses", "127.0.0.1-127.0.0.8"), g, sampler, loadProcess -> Json.createObjectBuilder());
            }
        }
    }

    /** S3 and S4: steady publishing at {@code rate} for {@code seconds}, to one topic or one per stream. */
    public JsonObject steady(String name, int streams, int topics, double rate, int seconds) throws Exception {
        try (GatewayUnderTest g = gateway(List.of(), name)) {
            try (Sampler sampler = new Sampler(List.of(g))) {
                String topic = topics > 1 ? "user-{i}" : "steady";
                String publishTopic = topics > 1 ? "user-{topic}" : "steady";
                return load(name, List.of("--url", g.url("/events?topic=" + topic), "--streams", Integer.toString(streams),
                    "--topics", Integer.toString(topics), "--publish-url", g.url("/publish?topic=" + publishTopic),
                    "--publish-rate", Double.toString(rate), "--duration", Integer.toString(seconds),
                    "--source-addresses", "127.0.0.1-127.0.0.8"), g, sampler,
                    loadProcess -> Json.createObjectBuilder().add("rssAfterBytes", ProcessProbe.rssBytes(g.pid())));
            }
        }
    }

    /** S5: {@code nodes} gateways sharing Redis, {@code perNode} streams each, one broadcast of {@code events}. */
    public JsonObject manyNodes(int nodes, int perNode, int events) throws Exception {
        int redisPort = freePort();
        Process redis = startRedis(redisPort, "s5-redis.log");
        List<GatewayUnderTest> gateways = new ArrayList<>();
        List<Process> loads = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                gateways.add(gateway(List.of("--redis-url", "redis://127.0.0.1:" + redisPort), "s5-node" + i));
            }
            try (Sampler sampler = new Sampler(gateways)) {
                for (int i = 0; i < nodes; i++) {
                    GatewayUnderTest g = gateways.get(i);
                    // Every load process subscribes on its node and waits; the first one also publishes,
                    // after a pause long enough for all nodes' streams to be established.
                    List<String> args = new ArrayList<>(List.of("--url", g.url("/events?topic=all"), "--streams",
                        Integer.toString(perNode), "--source-addresses", "127.0.0." + (10 * i + 1) + "-127.0.0." + (10 * i + 8),
                        "--ramp", "3000", "--duration", "60", "--json", out.resolve("s5-load" + i + ".json").toString()));
                    if (i == 0) {
                        // The publisher waits until every node's streams are surely established.
                        args.addAll(List.of("--publish-url", g.url("/publish?topic=all"), "--publish-count",
                            Integer.toString(events), "--publish-delay", Integer.toString(perNode * nodes / 3000 + 15)));
                    } else {
                        args.addAll(List.of("--expect-events", Integer.toString(events)));
                    }
                    loads.add(loadProcess(args, out.resolve("s5-load" + i + ".log")));
                }
                JsonObjectBuilder result = Json.createObjectBuilder();
                long received = 0;
                long lost = 0;
                long dup = 0;
                long ooo = 0;
                long established = 0;
                double p99 = 0;
                for (int i = 0; i < nodes; i++) {
                    loads.get(i).waitFor(600, TimeUnit.SECONDS);
                    JsonObject r = readJson(out.resolve("s5-load" + i + ".json"));
                    received += r.getJsonNumber("received").longValue();
                    lost += r.getJsonNumber("lost").longValue();
                    dup += r.getJsonNumber("duplicates").longValue();
                    ooo += r.getJsonNumber("outOfOrder").longValue();
                    established += r.getJsonNumber("established").longValue();
                    p99 = Math.max(p99, r.getJsonObject("latencyMs").getJsonNumber("p99").doubleValue());
                    result.add("node" + i, r);
                }
                return result.add("nodes", nodes).add("streams", established).add("received", received).add("lost", lost)
                    .add("duplicates", dup).add("outOfOrder", ooo).add("worstP99Ms", p99)
                    .add("samples", sampler.toJson()).build();
            }
        } finally {
            for (Process p : loads) {
                p.destroyForcibly();
            }
            for (GatewayUnderTest g : gateways) {
                g.close();
            }
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * S6: the brokers side by side, in one run. For Redis, then NATS JetStream (each its own fresh
     * server on a free port): two gateway nodes, {@code streams} streams on node B over
     * {@code topics} topics, and publishing into node A as fast as 32 concurrent requests allow for
     * {@code seconds}. Publishes/s is what one node stores through the broker; deliveries/s on B is
     * the cross-node fan-out; loss, duplicates and order are checked per stream.
     */
    public JsonObject brokers(int streams, int topics, int seconds) throws Exception {
        JsonObjectBuilder result = Json.createObjectBuilder();
        for (String broker : List.of("redis", "nats")) {
            int port = freePort();
            Path dir = out.resolve("s6-" + broker);
            Files.createDirectories(dir);
            List<String> command = broker.equals("redis")
                ? List.of(redisServer, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                : List.of(natsServer, "--jetstream", "--store_dir", dir.resolve("store").toString(), "--addr", "127.0.0.1",
                    "--port", Integer.toString(port));
            Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile())
                .start();
            List<String> settings = broker.equals("redis") ? List.of("--redis-url", "redis://127.0.0.1:" + port)
                : List.of("--broker", "nats", "--nats-url", "nats://127.0.0.1:" + port);
            try {
                Thread.sleep(500);
                try (GatewayUnderTest a = gateway(settings, "s6-" + broker + "-a");
                     GatewayUnderTest b = gateway(settings, "s6-" + broker + "-b");
                     Sampler sampler = new Sampler(List.of(a, b))) {
                    long cpuA = ProcessProbe.cpuMillis(a.pid());
                    long cpuServer = ProcessProbe.cpuMillis(server.pid());
                    JsonObject r = load("s6-" + broker, List.of("--url", b.url("/events?topic=user-{i}"), "--streams",
                        Integer.toString(streams), "--topics", Integer.toString(topics), "--publish-url",
                        a.url("/publish?topic=user-{topic}"), "--publish-rate", "0", "--duration", Integer.toString(seconds),
                        "--source-addresses", "127.0.0.1-127.0.0.8"), b, sampler, loadProcess -> Json.createObjectBuilder());
                    double published = r.getJsonObject("load").getJsonNumber("published").doubleValue();
                    double received = r.getJsonObject("load").getJsonNumber("received").doubleValue();
                    long deliveringB = r.getJsonObject("gateway").getJsonNumber("cpuMillisDelivering").longValue();
                    result.add(broker, Json.createObjectBuilder(r).add("publishesPerSecond", published / seconds)
                        .add("publishingNodeCpuMicrosPerPublish", (ProcessProbe.cpuMillis(a.pid()) - cpuA) * 1000.0 / published)
                        .add("brokerServerCpuMicrosPerPublish", (ProcessProbe.cpuMillis(server.pid()) - cpuServer) * 1000.0 / published)
                        .add("receivingNodeCpuMicrosPerDelivery", deliveringB * 1000.0 / Math.max(1, received)));
                }
            } finally {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
        }
        return result.build();
    }

    /**
     * Million (issue 25): {@code streams} HTTP/2 streams, 1,000 per connection and every connection
     * at once, held by the load tool on one gateway node; a second node on the same Redis takes the
     * publications (three 1,000-byte broadcasts 5 s apart). Reports the time to open them, the
     * node's and the load tool's resident memory per stream, the node's heap per stream, deliveries
     * lost, duplicated or out of order, publish-to-receive latency per stream, CPU per delivery, a
     * {@code /metrics} scrape and a {@code /health} answer while they are held.
     *
     * <p>Then the restart storm: SIGTERM while the load tool holds every stream (each is told
     * {@code server-shutdown} with a jittered {@code retry:}; the time to exit is the drain), three
     * more events published through the other node while this one is down (so they exist only in
     * Redis's history), and a new process on the same port. The load tool's streams behave as
     * EventSources: each opens again after its {@code retry:} with {@code Last-Event-ID}, and must get
     * every event, the three it missed included, once and in order. Reported: when the node was ready
     * again, when the last stream was back and when the last event arrived, counted from the SIGTERM,
     * and the restarted node's resident memory and heap per stream while every resumed stream is held;
     * and readiness probes made as a kubelet makes them ({@link ReadinessProbes}) from the restarted
     * node's start until every stream is back, on its main port and on its management port.
     * The request-head timeout is raised to 60 s: opening 1,000 connections at once on a shared
     * machine takes longer than the 10 s that guards against slowloris clients. The node (and its
     * restart) runs with {@code nodeJvmArgs}, the JVM flags of a node configured for that many streams.
     */
    public JsonObject million(int streams, List<String> nodeJvmArgs) throws Exception {
        int redisPort = freePort();
        Process redis = startRedis(redisPort, "million-redis.log");
        List<String> broker = List.of("--redis-url", "redis://127.0.0.1:" + redisPort);
        List<String> node = new ArrayList<>(broker);
        int managementPort = freePort();
        node.addAll(List.of("--max-streams", Integer.toString(streams + 1000), "--max-streams-per-client", "0",
            "--h2-max-concurrent-streams", "1000", "--request-head-timeout", "60s",
            "--management-port", Integer.toString(managementPort)));
        GatewayUnderTest measured = null;
        GatewayUnderTest publisher = null;
        GatewayUnderTest[] restarted = new GatewayUnderTest[1];
        ReadinessProbes[] stormProbes = new ReadinessProbes[1];
        try {
            // Started inside the try: a node that does not start must not leave the Redis behind.
            measured = gateway(nodeJvmArgs, node, "million");
            GatewayUnderTest g = measured;
            publisher = gateway(broker, "million-publisher");
            GatewayUnderTest publishing = publisher;
            double heapBefore = g.heapAfterGc(jcmd());
            long rssBefore = ProcessProbe.rssBytes(g.pid());
            Path sync = out.resolve("million");
            Files.deleteIfExists(Path.of(sync + ".expect-more"));
            JsonObject held;
            try (Sampler sampler = new Sampler(List.of(g))) {
                // The load tool holds about 3 KB per idle stream and more while events arrive. On the
                // gateway's cores it must cost little per event: the parallel collector's write
                // barrier is cheaper than G1's for its million streams' state, a fixed young
                // generation is not resized (its pages zeroed again) in the middle of a broadcast,
                // and an old generation sized from the start (-Xms, committed, not touched) needs
                // no full collection to grow while the first broadcast arrives.
                String heap = Math.max(2048, streams / 1000 * 6) + "m";
                List<String> loadHeap = List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+UseParallelGC",
                    "-Xmn" + Math.min(1024, Math.max(256, streams / 1000)) + "m");
                held = load("million", List.of("--url", g.url("/events?topic=million"), "--streams", Integer.toString(streams),
                    "--ramp", "1000000", "--publish-url", publisher.url("/publish?topic=million"), "--publish-count", "3",
                    "--publish-rate", "0.2", "--payload-bytes", "1000", "--publish-delay", "10", "--duration", "60", "--resume"),
                    1000, loadHeap, g, sampler, loadProcess -> {
                        long loadRss = ProcessProbe.rssBytes(loadProcess.pid());
                        long rssAfter = ProcessProbe.rssBytes(g.pid());
                        long scrapeStart = System.nanoTime();
                        g.get("/metrics");
                        long scrapeMicros = (System.nanoTime() - scrapeStart) / 1000;
                        long healthStart = System.nanoTime();
                        g.get("/health");
                        long healthMicros = (System.nanoTime() - healthStart) / 1000;
                        double heapAfter = g.heapAfterGc(jcmd());
                        // While the load tool still holds every stream: the drain tells each one.
                        long sigtermAt = System.currentTimeMillis();
                        long drainMillis = g.terminate(Duration.ofMinutes(2));
                        for (int i = 0; i < MISSED_EVENTS; i++) {
                            int status = publishing.post("/publish?topic=million", "missed " + i + " " + "x".repeat(990));
                            if (status != 200) {
                                throw new IllegalStateException("the other node answered " + status + " to a publication");
                            }
                        }
                        restarted[0] = GatewayUnderTest.start(java, nodeJvmArgs, jar, g.port, node, out.resolve("million-restarted-gateway.log"));
                        long readyAt = System.currentTimeMillis();
                        stormProbes[0] = new ReadinessProbes(Map.of("main", g.port, "management", managementPort));
                        Files.writeString(Path.of(sync + ".expect-more"), Integer.toString(MISSED_EVENTS));
                        return Json.createObjectBuilder().add("sigtermToExitMillis", drainMillis)
                            .add("rssBeforeBytes", rssBefore).add("rssAfterBytes", rssAfter)
                            .add("rssPerStreamBytes", (rssAfter - rssBefore) / (double) streams)
                            .add("heapPerStreamBytes", (heapAfter - heapBefore) / streams)
                            .add("loadToolRssPerStreamBytes", loadRss / (double) streams)
                            .add("metricsScrapeMillis", scrapeMicros / 1000.0).add("healthMillis", healthMicros / 1000.0)
                            .add("sigtermAtMillis", sigtermAt).add("restartedReadyAtMillis", readyAt);
                    }, loadProcess -> {
                        stormProbes[0].close();
                        // The restarted node with every stream back and holding its events, against
                        // the first node's empty figures (same jar and JVM flags).
                        long rssResumed = ProcessProbe.rssBytes(restarted[0].pid());
                        double heapResumed = restarted[0].heapAfterGc(jcmd());
                        return Json.createObjectBuilder()
                            .add("readinessProbesDuringStorm", stormProbes[0].figures())
                            .add("rssPerStreamBytes", (rssResumed - rssBefore) / (double) streams)
                            .add("heapPerStreamBytes", (heapResumed - heapBefore) / streams);
                    });
            }
            // The restarted node's figures go into "restart" only, not beside it as well.
            return Json.createObjectBuilder(held).remove("resumedGateway").add("restart", restartFigures(held, restarted[0])).build();
        } finally {
            if (stormProbes[0] != null) {
                stormProbes[0].close();
            }
            for (GatewayUnderTest each : new GatewayUnderTest[] {restarted[0], publisher, measured}) {
                if (each != null) {
                    each.close();
                }
            }
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The restart storm's figures, from the SIGTERM: node ready, last stream back, last event; and what the streams got. */
    private static JsonObject restartFigures(JsonObject held, GatewayUnderTest restarted) throws Exception {
        JsonObject gateway = held.getJsonObject("gateway");
        JsonObject resumedGateway = held.getJsonObject("resumedGateway");
        JsonObject resume = held.getJsonObject("load").getJsonObject("resume");
        long sigtermAt = gateway.getJsonNumber("sigtermAtMillis").longValue();
        return Json.createObjectBuilder()
            .add("missedEvents", MISSED_EVENTS)
            .add("nodeReadyAfterMillis", gateway.getJsonNumber("restartedReadyAtMillis").longValue() - sigtermAt)
            .add("allBackAfterMillis", resume.getJsonNumber("lastBackAtMillis").longValue() - sigtermAt)
            .add("lastEventAfterMillis", resume.getJsonNumber("lastEventAtMillis").longValue() - sigtermAt)
            .add("streamsBack", resume.getJsonNumber("streamsBack").longValue())
            .add("restartedRssPerStreamBytes", resumedGateway.getJsonNumber("rssPerStreamBytes").doubleValue())
            .add("restartedHeapPerStreamBytes", resumedGateway.getJsonNumber("heapPerStreamBytes").doubleValue())
            .add("readinessProbesDuringStorm", resumedGateway.getJsonObject("readinessProbesDuringStorm"))
            .add("restartedRssAfterBytes", ProcessProbe.rssBytes(restarted.pid()))
            .add("lost", resume.getJsonNumber("lost").longValue())
            .add("duplicates", resume.getJsonNumber("duplicates").longValue())
            .add("outOfOrder", resume.getJsonNumber("outOfOrder").longValue())
            .build();
    }

    private interface Measure {
        /** Measures while the streams are held; {@code load} is the load tool's process. */
        JsonObjectBuilder measure(Process load) throws Exception;
    }

    /**
     * Runs one load process against {@code g} and measures the gateway at two moments: when all
     * streams are established, and after the deliveries while the streams are still open.
     */
    private JsonObject load(String name, List<String> args, GatewayUnderTest g, Sampler sampler, Measure whileConnected)
        throws Exception {
        return load(name, args, h2PerConnection, LOAD_HEAP, g, sampler, whileConnected, null);
    }

    /**
     * As above, with {@code perConnection} streams per HTTP/2 connection and the load JVM's heap flags;
     * and, if {@code whileResumed} is not null and the streams resume ({@code --resume} and an
     * {@code expect-more} file), a third measurement once every stream is back and has its events,
     * while the load tool still holds them ({@code resumedGateway} in the result).
     */
    private JsonObject load(String name, List<String> args, int perConnection, List<String> loadHeap, GatewayUnderTest g,
                            Sampler sampler, Measure whileConnected, Measure whileResumed) throws Exception {
        Path json = out.resolve(name + "-load.json");
        Path sync = out.resolve(name);
        Path resumed = Path.of(sync + ".resumed");
        Path holdResumed = Path.of(sync + ".hold-resumed");
        Files.deleteIfExists(Path.of(sync + ".established"));
        Files.deleteIfExists(Path.of(sync + ".held"));
        Files.deleteIfExists(resumed);
        Files.writeString(Path.of(sync + ".hold"), "");
        if (whileResumed != null) {
            Files.writeString(holdResumed, "");
        }
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--json", json.toString(), "--sync", sync.toString(),
            "--h2-streams-per-connection", Integer.toString(perConnection)));
        Path loadLog = out.resolve(name + "-load.log");
        Process p = loadProcess(loadHeap, all, loadLog);
        JsonObjectBuilder measured;
        JsonObjectBuilder measuredResumed = null;
        try {
            awaitFile(p, Path.of(sync + ".established"), name, loadLog);
            long cpuEstablished = ProcessProbe.cpuMillis(g.pid());
            awaitFile(p, Path.of(sync + ".held"), name, loadLog);
            long cpuDelivered = ProcessProbe.cpuMillis(g.pid());
            measured = whileConnected.measure(p)
                .add("cpuMillisEstablished", cpuEstablished).add("cpuMillisDelivering", cpuDelivered - cpuEstablished);
            Files.deleteIfExists(Path.of(sync + ".hold"));
            if (whileResumed != null) {
                awaitFile(p, resumed, name, loadLog);
                if (Files.exists(resumed)) {
                    measuredResumed = whileResumed.measure(p);
                }
                Files.deleteIfExists(holdResumed);
            }
            if (!p.waitFor(900, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + ": the load tool did not finish within 15 minutes; see " + loadLog);
            }
        } finally {
            Files.deleteIfExists(holdResumed);
            p.destroyForcibly(); // only if a measurement failed or it hung: it has exited otherwise
        }
        JsonObject result = readJson(json);
        log.printf("%s: %s%n", name, result);
        JsonObjectBuilder figures = Json.createObjectBuilder().add("load", result).add("gateway", measured);
        if (measuredResumed != null) {
            figures.add("resumedGateway", measuredResumed);
        }
        return figures.add("samples", sampler.toJson()).build();
    }

    /** Waits for the load process's marker file, printing its latest progress line every 5 s. */
    private void awaitFile(Process p, Path file, String scenario, Path loadLog) throws InterruptedException {
        long nextProgress = System.nanoTime() + 5_000_000_000L;
        while (p.isAlive() && !Files.exists(file)) {
            Thread.sleep(100);
            if (System.nanoTime() > nextProgress) {
                nextProgress += 5_000_000_000L;
                log.printf("%s: %s%n", scenario, lastLine(loadLog));
            }
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return lines.isEmpty() ? "starting" : lines.get(lines.size() - 1);
        } catch (java.io.IOException e) {
            return "starting";
        }
    }

    private Process loadProcess(List<String> args, Path logFile) throws Exception {
        return loadProcess(LOAD_HEAP, args, logFile);
    }

    private Process loadProcess(List<String> jvm, List<String> args, Path logFile) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-jar", jar.toString(), "load"));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    private GatewayUnderTest gateway(List<String> settings, String name) throws Exception {
        return gateway(jvmArgs, settings, name);
    }

    private GatewayUnderTest gateway(List<String> jvm, List<String> settings, String name) throws Exception {
        return GatewayUnderTest.start(java, jvm, jar, freePort(), settings, out.resolve(name + "-gateway.log"));
    }

    /** A Redis of the scenario's own on {@code port}, nothing kept on disk, ready to take commands. */
    private Process startRedis(int port, String logName) throws Exception {
        Process redis = new ProcessBuilder(redisServer, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no").redirectErrorStream(true).redirectOutput(out.resolve(logName).toFile()).start();
        Thread.sleep(500);
        return redis;
    }

    private String jcmd() {
        return Path.of(java).resolveSibling("jcmd").toString();
    }

    private static JsonObject readJson(Path file) throws Exception {
        try (var reader = Json.createReader(new StringReader(Files.readString(file)))) {
            return reader.readObject();
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
