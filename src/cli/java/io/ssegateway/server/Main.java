package io.ssegateway.server;

import io.ssegateway.config.ConfigException;
import io.ssegateway.config.ConfigFile;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.config.Setting;
import io.ssegateway.ops.BuildInfo;
import io.ssegateway.ops.FileLimits;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.jetty.server.Server;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * {@code java -jar sse-gateway.jar [--port N] [--<setting> VALUE]…} starts the gateway; every
 * {@link Setting} is a flag. Subcommands (doctor, load, bench) are added to {@link #commandLine()}.
 */
public final class Main {
    private static final String CONFIG_FLAG = "--config";
    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with one flag per setting; exits 2 on a bad flag, 1 on a bad value. */
    public static CommandLine commandLine() {
        CommandSpec spec = CommandSpec.create().name("sse-gateway");
        spec.mixinStandardHelpOptions(true);
        spec.version("sse-gateway " + BuildInfo.version());
        // picocli puts its "Usage: " heading in front of the first line.
        spec.usageMessage().customSynopsis("sse-gateway [--config FILE] [--<setting> VALUE]...",
            "       sse-gateway token|doctor|probe|load|storm|bench|aot-cache [OPTIONS]...");
        spec.usageMessage().description("Server-Sent Events gateway. Every flag can also be set as SSE_<NAME> "
            + "in the environment or -Dsse.<name> as a system property.");
        spec.addOption(OptionSpec.builder(CONFIG_FLAG).paramLabel("FILE").type(java.nio.file.Path.class)
            .description("A file of key = value lines with the flags' names (heartbeat = 25s); flags, system properties "
                + "and SSE_* variables override it. Default: the file " + ConfigFile.ENV + " names, if set.").build());
        for (Setting.Group group : Setting.Group.values()) {
            ArgGroupSpec.Builder section = ArgGroupSpec.builder().heading("%n" + group.title() + ":%n").exclusive(false)
                .multiplicity("0..1");
            for (Setting s : Setting.values()) {
                if (s.group() == group) {
                    section.addArg(settingOption(s));
                }
            }
            spec.addArgGroup(section.build());
        }
        CommandLine cl = new CommandLine(spec);
        cl.addSubcommand("doctor", new DoctorCommand());
        cl.addSubcommand("probe", new ProbeCommand());
        cl.addSubcommand("load", new LoadCommand());
        cl.addSubcommand("storm", new StormCommand());
        cl.addSubcommand("bench", new BenchCommand());
        cl.addSubcommand("token", TokenCommand.commandLine());
        cl.addSubcommand("aot-cache", new AotCacheCommand());
        // A value may start with '@' (bench --jvm @jvm/sse-gateway.args, a password): picocli would
        // read it as an argument file and splice that file's lines in. Settings come from --config.
        cl.setExpandAtFiles(false);
        cl.setExecutionStrategy(parse -> parse.subcommand() != null
            ? new CommandLine.RunLast().execute(parse)
            : serve(parse));
        return cl;
    }

    /** The option of {@code setting}, {@code --<key> VALUE}, described from its one declaration. */
    static OptionSpec settingOption(Setting setting) {
        return OptionSpec.builder("--" + setting.key())
            .paramLabel(setting.key().toUpperCase(java.util.Locale.ROOT).replace('-', '_'))
            .description(setting.description().replace("`", "") + " (" + setting.envName() + "; default: "
                + (setting.defaultValue().isEmpty() ? "none" : setting.defaultValue()) + ")")
            .type(String.class)
            .build();
    }

    /** The values given on the command line for {@code settings}, by key, as {@link GatewayConfig#resolve} takes them. */
    static Map<String, String> settingFlags(ParseResult parse, Iterable<Setting> settings) {
        Map<String, String> flags = new HashMap<>();
        for (Setting s : settings) {
            String value = parse.matchedOptionValue("--" + s.key(), null);
            if (value != null) {
                flags.put(s.key(), value);
            }
        }
        return flags;
    }

    /**
     * The gateway's settings as a subcommand on this machine reads them (to find the node it asks, or
     * the files the node uses): from {@code configFile} or the file {@link ConfigFile#ENV} names,
     * {@code -Dsse.*} system properties and {@code SSE_*} variables; without the gateway's flags.
     */
    static GatewayConfig settingsOnThisMachine(Path configFile) {
        return GatewayConfig.resolve(Map.of(), ConfigFile.of(configFile, System.getenv()), GatewayConfig.systemProperties(),
            System.getenv(), Map.of());
    }

    /** Why the port could not be bound, with the settings that choose another. */
    private static String cannotBind(GatewayConfig config, Throwable cause) {
        String host = config.server().host().isEmpty() ? "" : config.server().host() + ":";
        OptionalInt management = config.server().managementPort();
        String where = host + config.server().port() + (management.isPresent() ? " and " + host + management.getAsInt() : "");
        return "cannot listen on " + where + " (" + cause.getMessage() + "): another process uses the port, or the host "
            + "address is not this machine's. Choose another port with --port N (SSE_PORT)"
            + (management.isPresent() ? " or --management-port N (SSE_MANAGEMENT_PORT)" : "")
            + ", or the address with --host (SSE_HOST)";
    }

    /** True if a JFR recording runs (for example -XX:StartFlightRecording): it is dumped by a hook of its own. */
    static boolean flightRecordingActive() {
        try {
            return jdk.jfr.FlightRecorder.isInitialized() && !jdk.jfr.FlightRecorder.getFlightRecorder().getRecordings().isEmpty();
        } catch (LinkageError noJfrModule) {
            return false; // a runtime built without jdk.jfr records nothing
        }
    }

    private static int serve(ParseResult parse) {
        if (CommandLine.printHelpIfRequested(parse)) {
            return 0;
        }
        Map<String, String> flags = settingFlags(parse, List.of(Setting.values()));
        Server server;
        GatewayConfig config = null;
        try {
            ConfigFile file = ConfigFile.of(parse.matchedOptionValue(CONFIG_FLAG, null), System.getenv());
            config = GatewayConfig.resolve(flags, file, GatewayConfig.systemProperties(), System.getenv(), Map.of());
            Logging.configure(config.logging());
            if (config.server().jvmProfile()) {
                Optional<Path> aotCache = AotCache.location(config.server().aotCache(), JvmProfile.ownJar());
                Optional<List<String>> profiled = JvmProfile.command(ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    parse.originalArgs().toArray(String[]::new), config.limits().maxStreams(), aotCache);
                if (profiled.isPresent()) {
                    AotCache.launcherNote(aotCache, !config.server().aotCache().isEmpty(), Runtime.version().feature())
                        .ifPresent(note -> LOG.log(note.level(), note.message()));
                    return JvmProfile.run(profiled.get());
                }
            }
            JvmProfile.watchLauncher();
            server = GatewayServer.newServer(config);
            server.start();
            if (GatewayServer.gateway(server) == null) {
                server.stop();
                return 1;
            }
        } catch (ConfigException e) {
            System.err.println("sse-gateway: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof ConfigException)) {
                cause = cause.getCause();
            }
            System.err.println("sse-gateway: could not start: " + (cause instanceof java.net.BindException && config != null
                ? cannotBind(config, cause) : cause.getMessage()));
            return 1;
        }
        // Through the logger, so that --log-format json makes it a JSON line like every other.
        ManagementPort.missingInKubernetes(config.server(), System.getenv())
            .ifPresent(warning -> LOG.log(System.Logger.Level.WARNING, warning));
        OptionalInt management = GatewayServer.managementPort(server);
        LOG.log(System.Logger.Level.INFO, "listening on port {0}{1}", String.valueOf(GatewayServer.port(server)),
            management.isPresent() ? ", management port " + management.getAsInt() : "");
        AotCache.status().map(AotCache.Status::note).ifPresent(note -> LOG.log(note.level(), note.message()));
        if (config.server().warmUp()) {
            WarmUp.start(WarmUp.Plan.of(FileLimits.current(), Runtime.getRuntime().maxMemory()), GatewayServer.gateway(server));
        }
        Thread hook = new Thread(() -> {
            try {
                GatewayServer.stopForExit(server);
            } catch (Exception e) {
                System.err.println("sse-gateway: error while stopping: " + e);
                return; // the JVM's own status for the signal (143 for SIGTERM) says it was not clean
            }
            // A stop that was asked for (SIGTERM from systemd, podman stop, a Kubernetes pod's end) and
            // drained every stream is a success: exit 0, not the JVM's 143, so a container shows "Exited (0)".
            // Once running, a signal is the only way this process ends with its hooks run. Halting skips
            // the other hooks, so not while a flight recording runs: JFR writes it in its own hook.
            if (flightRecordingActive()) {
                return;
            }
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "sse-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
