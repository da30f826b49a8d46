package io.ssegateway.server;

import io.ssegateway.bench.Benchmark;
import io.ssegateway.bench.Report;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sse-gateway bench}: runs scenarios S1–S6 and writes target/bench/report.json and report.html. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark: starts the gateway (and load generators) as separate processes, runs the scenarios and "
        + "writes report.json and a self-contained report.html.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--jar", defaultValue = "target/sse-gateway.jar")
    Path jar;

    @Option(names = "--java-home", description = "JDK for the gateway and load processes (default: this one)")
    String javaHome = System.getProperty("java.home");

    @Option(names = "--jvm", defaultValue = "@jvm/sse-gateway.args",
        description = "Gateway JVM flags (default: ${DEFAULT-VALUE}, the production profile; '' for the JVM's defaults)")
    String jvm;

    @Option(names = "--compare-plain", description = "Run the scenarios again with a plain 'java -jar' (no flags) into "
        + "<out>/plain and print both side by side")
    boolean comparePlain;

    @Option(names = "--scenarios", defaultValue = "s1,s2,s3,s4,s5,s6",
        description = "Comma-separated scenarios to run, any case: s1 (idle memory), s2 (burst fan-out), s3 (steady, one "
            + "topic), s4 (steady, a topic per stream), s5 (Redis-backed nodes), s6 (Redis and NATS side by side: "
            + "publishes/s and cross-node fan-out), million (--million-streams HTTP/2 streams on one gateway, held by the "
            + "load tool: open, memory, three broadcasts, drain; about 12 GB of RAM per million; not in the default). "
            + "Default: ${DEFAULT-VALUE}")
    String scenarios;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "target/bench")
    Path out;

    @Option(names = "--s1-streams", defaultValue = "19000")
    int s1Streams;

    @Option(names = "--streams", defaultValue = "10000", description = "Streams in S2, S3 and S4")
    int streams;

    @Option(names = "--s5-nodes", defaultValue = "5")
    int s5Nodes;

    @Option(names = "--s5-streams-per-node", defaultValue = "19000")
    int s5PerNode;

    @Option(names = "--redis-server", defaultValue = "redis-server")
    String redisServer;

    @Option(names = "--nats-server", defaultValue = "nats-server")
    String natsServer;

    @Option(names = "--s6-streams", defaultValue = "2000", description = "Streams on the receiving node in S6")
    int s6Streams;

    @Option(names = "--s6-topics", defaultValue = "100")
    int s6Topics;

    @Option(names = "--s6-seconds", defaultValue = "20", description = "Seconds of publishing per broker in S6")
    int s6Seconds;

    @Option(names = "--million-streams", defaultValue = "1000000", description = "Streams in the million scenario")
    int millionStreams;

    @Option(names = "--h2-streams-per-connection", defaultValue = "0",
        description = "Run S1-S4's streams over HTTP/2 (h2c), this many per connection; 0 = HTTP/1.1 (default)")
    int h2PerConnection;

    @Override
    public Integer call() throws Exception {
        List<String> checked = scenarios(scenarios); // an unknown name fails before anything starts
        List<String> jvmArgs = Arrays.stream(jvm.trim().split("\\s+")).filter(a -> !a.isEmpty()).map(BenchCommand::absoluteArgFile)
            .toList();
        JsonObject profile = run(checked, jvm, jvmArgs, out);
        if (comparePlain) {
            JsonObject plain = run(checked, "", List.of(), out.resolve("plain"));
            for (String s : checked) {
                System.out.println(Report.comparison(s, jvm, profile, plain));
            }
        }
        return 0;
    }

    /** Runs the scenarios with one set of gateway JVM flags and writes their report into {@code dir}. */
    private JsonObject run(List<String> run, String label, List<String> jvmArgs, Path dir) throws Exception {
        Files.createDirectories(dir);
        Benchmark bench = new Benchmark(jar, javaHome, jvmArgs, dir, System.err, redisServer, natsServer, h2PerConnection);
        JsonObjectBuilder report = Json.createObjectBuilder()
            .add("machine", Report.machine()).add("gatewayJvm", label.isEmpty() ? "(none: java -jar)" : label)
            .add("javaHome", javaHome).add("h2StreamsPerConnection", h2PerConnection);
        if (run.contains("s1")) {
            report.add("s1", bench.idle(s1Streams));
        }
        if (run.contains("s2")) {
            report.add("s2", bench.burst(streams, 200));
        }
        if (run.contains("s3")) {
            report.add("s3", bench.steady("s3", streams, 1, 20, 30));
        }
        if (run.contains("s4")) {
            report.add("s4", bench.steady("s4", streams, streams, 1000, 20));
        }
        if (run.contains("s5")) {
            report.add("s5", bench.manyNodes(s5Nodes, s5PerNode, 10));
        }
        if (run.contains("s6")) {
            report.add("s6", bench.brokers(s6Streams, s6Topics, s6Seconds));
        }
        if (run.contains("million")) {
            // The node gets the young generation the gateway asks for at that size (README, "A node for
            // more than about 130,000 streams"), unless the flags are not the profile's or choose one.
            report.add("million", bench.million(millionStreams, JvmProfile.withYoungGeneration(jvmArgs, millionStreams + 1000)));
        }
        JsonObject built = report.build();
        Report.write(built, dir);
        System.out.println("report: " + dir.resolve("report.json") + ", " + dir.resolve("report.html"));
        return built;
    }

    /** {@code @file} with a relative path, made absolute: the gateway process may run elsewhere. */
    private static String absoluteArgFile(String arg) {
        return arg.startsWith("@") && Files.isRegularFile(Path.of(arg.substring(1)))
            ? "@" + Path.of(arg.substring(1)).toAbsolutePath() : arg;
    }

    /** The scenario names, lower-cased; an unknown one is a usage error naming the known ones. */
    private List<String> scenarios(String text) {
        List<String> known = List.of("s1", "s2", "s3", "s4", "s5", "s6", "million");
        List<String> names = Arrays.stream(text.split(",")).map(n -> n.trim().toLowerCase(Locale.ROOT))
            .filter(n -> !n.isEmpty()).toList();
        for (String n : names) {
            if (!known.contains(n)) {
                throw new ParameterException(spec.commandLine(), "unknown scenario '" + n + "' in --scenarios; known: "
                    + String.join(", ", known) + " (any case)");
            }
        }
        if (names.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--scenarios names no scenario; known: " + String.join(", ", known));
        }
        return names;
    }
}
