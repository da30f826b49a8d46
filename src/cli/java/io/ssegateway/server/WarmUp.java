package io.ssegateway.server;

import io.ssegateway.config.ConfigFile;
import io.ssegateway.config.GatewayConfig;
import io.ssegateway.load.LoadGenerator;
import io.ssegateway.load.LoadOptions;
import io.ssegateway.load.LoadResult;
import io.ssegateway.ops.FileLimits;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.Server;

/**
 * The node's stream paths run on a throwaway node before the real one listens ({@code warm-up}),
 * so that the JIT has compiled them when the first clients arrive.
 *
 * <p>A fresh JVM interprets the code it has not yet run, and compiles it while it runs: on two
 * cores, with the clients on the same cores, the compiler took a quarter of the gateway's CPU
 * during the first broadcast to 300,000 HTTP/2 streams, and 19,000 HTTP/1.1 streams connecting at
 * once took three times as long on a fresh node as on one that had served before
 * (docs/performance.md, "A node that warms up before it listens"). The storm after a restart and the
 * first broadcast after it are exactly when that costs most.
 *
 * <p>The throwaway node is this jar's server with the defaults, on an ephemeral loopback port, with
 * the in-memory broker and no auth: nothing reaches the real node's broker, history, metrics or
 * limits, and it is stopped before the real node binds its port. The load tool's clients (in this
 * process) open up to {@value #H2_STREAMS} h2c streams, {@value #H2_PER_CONNECTION} per connection,
 * which get {@value #EVENTS} events of {@value #EVENT_BYTES} bytes; then {@value #H1_ROUNDS} rounds of
 * up to {@value #H1_STREAMS} HTTP/1.1 streams connect at once and get {@value #H1_EVENTS} events. A
 * small node warms up with fewer ({@link Plan#of}). What the clients' own code costs the JIT is spent
 * once, before the node listens.
 *
 * <p>A warm-up that fails or takes longer than {@value #TIMEOUT_SECONDS} s is logged and the node
 * starts anyway: warming up is never a reason not to serve.
 */
final class WarmUp {
    private static final System.Logger LOG = System.getLogger(WarmUp.class.getName());
    static final int H2_STREAMS = 10_000;
    static final int H2_PER_CONNECTION = 1_000;
    static final int EVENTS = 20;
    static final int EVENT_BYTES = 1_000;
    static final int H1_STREAMS = 2_000;
    static final int H1_ROUNDS = 3;
    static final int H1_EVENTS = 5;
    static final int TIMEOUT_SECONDS = 60;
    private static final String TOPIC = "warm-up";

    private WarmUp() {
    }

    /** What a warm-up did: streams that got every event, of how many, and how long it took. */
    record Outcome(long streamsServed, long streamsAsked, double seconds) {
    }

    /** How many streams a warm-up opens: HTTP/2 streams, and HTTP/1.1 streams per round. */
    record Plan(int h2Streams, int h1Streams) {
        /** Heap a warm-up stream may take, server and client side together, with room to spare. */
        static final long HEAP_PER_STREAM = 64 * 1024;

        /**
         * The full warm-up, or less on a small node: the streams of a round take at most an eighth
         * of the heap ({@value #HEAP_PER_STREAM} B each: this node's stream and the client's), and an
         * HTTP/1.1 round at most a quarter of the soft open-file limit (two descriptors a stream,
         * both ends being in this process).
         */
        static Plan of(FileLimits files, long maxHeapBytes) {
            long byHeap = maxHeapBytes / HEAP_PER_STREAM;
            return new Plan((int) Math.min(H2_STREAMS, byHeap), (int) Math.max(0, Math.min(H1_STREAMS, Math.min(byHeap, files.soft() / 8))));
        }
    }

    /**
     * Runs the warm-up, logging at the start and end; the throwaway node's own log lines are
     * held back to errors ({@link Logging#quietly}).
     */
    static void run(Plan plan) {
        LOG.log(Level.INFO, "warm-up: a throwaway node on loopback takes {0} HTTP/2 streams and {1} rounds of {2} "
            + "HTTP/1.1 streams before this node listens (warm-up=false skips it)", plan.h2Streams(), H1_ROUNDS, plan.h1Streams());
        try {
            Outcome outcome = Logging.quietly(() -> warmUp(plan));
            LOG.log(Level.INFO, "warm-up: done in {0} s; {1} of {2} streams got every event",
                String.format("%.1f", outcome.seconds()), outcome.streamsServed(), outcome.streamsAsked());
        } catch (Exception e) {
            LOG.log(Level.WARNING, "warm-up: stopped (" + e + "); starting cold");
        }
    }

    private static Outcome warmUp(Plan plan) throws Exception {
        long start = System.nanoTime();
        Server node = GatewayServer.newServer(GatewayConfig.resolve(Map.of("host", "127.0.0.1", "port", "0",
            "broker", "memory", "max-streams-per-client", "0", "jvm-profile", "off", "warm-up", "false"),
            ConfigFile.NONE, Map.of(), Map.of(), Map.of()));
        node.start();
        try {
            String base = "http://127.0.0.1:" + GatewayServer.port(node);
            List<LoadOptions> runs = new ArrayList<>();
            if (plan.h2Streams() > 0) {
                runs.add(options(base, plan.h2Streams(), H2_PER_CONNECTION, EVENTS));
            }
            for (int r = 0; r < H1_ROUNDS && plan.h1Streams() > 0; r++) {
                runs.add(options(base, plan.h1Streams(), 0, H1_EVENTS));
            }
            long served = 0;
            long asked = 0;
            long deadline = start + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
            for (LoadOptions run : runs) {
                LoadResult result = within(deadline, run);
                asked += run.streams();
                served += result.clean() ? result.established() : 0;
            }
            return new Outcome(served, asked, (System.nanoTime() - start) / 1e9);
        } finally {
            GatewayServer.stop(node);
        }
    }

    private static LoadOptions options(String base, int streams, int h2PerConnection, int events) {
        return new LoadOptions(base + "/events?topic=" + TOPIC, streams, 1, List.of(), 1_000_000,
            base + "/publish?topic=" + TOPIC, 50, events, EVENT_BYTES, TIMEOUT_SECONDS, 1, 0, 0, null, h2PerConnection, false);
    }

    /** One load run, given up (the throwaway node's stop then ends its streams) once {@code deadline} passes. */
    private static LoadResult within(long deadline, LoadOptions options) throws Exception {
        FutureTask<LoadResult> run = new FutureTask<>(
            () -> new LoadGenerator(options, new PrintStream(OutputStream.nullOutputStream())).run());
        Thread thread = new Thread(run, "sse-warm-up");
        thread.setDaemon(true);
        thread.start();
        try {
            return run.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new TimeoutException("not done within " + TIMEOUT_SECONDS + " s");
        }
    }
}
