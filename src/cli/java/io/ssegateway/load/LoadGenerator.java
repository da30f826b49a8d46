package io.ssegateway.load;

import io.ssegateway.concurrent.DaemonThreads;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.ToLongFunction;
import org.HdrHistogram.Histogram;

/**
 * Opens many SSE streams with a few NIO selector threads, optionally publishes, and counts what
 * each stream received. Works against any SSE URL; lost events are counted only for events this
 * tool published (it knows which topic got how many).
 */
public final class LoadGenerator {
    private final LoadOptions options;
    private final PrintStream progress;
    /** When the progress line was last printed (ramp and publisher threads). */
    private volatile long lastLine;

    public LoadGenerator(LoadOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public LoadResult run() throws Exception {
        URI url = options.uriFor(0);
        InetSocketAddress server = new InetSocketAddress(url.getHost(), url.getPort() < 0 ? 80 : url.getPort());
        List<SelectorLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < options.selectors(); i++) {
            SelectorLoop loop = new SelectorLoop();
            loops.add(loop);
            Thread t = DaemonThreads.named("load-selector-" + i).newThread(loop);
            t.start();
            threads.add(t);
        }
        Http2Streams h2 = null;
        // Ended however the run ends: an interrupted run (a gateway's warm-up cut short) leaves no
        // selector thread or connection behind.
        try {
            long start = System.nanoTime();
            if (options.h2PerConnection() > 0) {
                h2 = "https".equals(url.getScheme()) ? new H2Streams(options, options.selectors()) : new H2cStreams(options);
                h2.open(loops, server, options.h2PerConnection());
            } else {
                open(loops, server);
            }
            long establishedAt = awaitEstablished(loops, start);
            double establishSeconds = (establishedAt - start) / 1e9;

            signal("established");
            Thread.sleep((long) (options.publishDelaySeconds() * 1000));
            AtomicLongArray publishedPerTopic = new AtomicLongArray(Math.max(1, options.topicCount()));
            long publishStart = System.nanoTime();
            boolean publishing = options.publishUrl() != null && options.publishCount() >= 0 && options.durationSeconds() > 0;
            long published = publishing ? publish(publishedPerTopic, loops) : 0;
            for (int t = 0; t < publishedPerTopic.length(); t++) {
                publishedPerTopic.addAndGet(t, options.expectEvents());
            }
            long expected = expectedDeliveries(loops, publishedPerTopic);
            awaitDeliveries(loops, expected, publishStart);
            // Counted now: what ends the streams after this (the tool's own disconnect, or a benchmark
            // stopping the gateway while they are held) is not a failure of the run.
            LoadResult result = result(loops, established(loops), failed(loops), establishSeconds, published, expected,
                publishedPerTopic, publishStart);
            signal("held");
            if (options.sync() != null) {
                awaitGone(java.nio.file.Path.of(options.sync() + ".hold"));
                java.nio.file.Path more = java.nio.file.Path.of(options.sync() + ".expect-more");
                if (h2 != null && options.resume() && java.nio.file.Files.exists(more)) {
                    long extra = Long.parseLong(java.nio.file.Files.readString(more).trim());
                    result = result.withResume(awaitResumed(loops, h2.resumes(), publishedPerTopic, extra));
                    signal("resumed");
                    awaitGone(java.nio.file.Path.of(options.sync() + ".hold-resumed"));
                }
            }

            return result;
        } finally {
            end(loops, threads, h2);
        }
    }

    /** Stops the selector loops, waits up to 5 s for each thread (not at all once interrupted), closes the HTTP/2 streams. */
    private static void end(List<SelectorLoop> loops, List<Thread> threads, Http2Streams h2) throws Exception {
        for (SelectorLoop loop : loops) {
            loop.stop();
        }
        for (Thread t : threads) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (h2 != null) {
            h2.close();
        }
    }

    /**
     * After a node's restart: waits until every stream that was not ended for good is open again
     * and has the events published so far plus {@code extra} more (published while they were away),
     * or nothing arrived for 10 s after all were back, or 10 minutes passed. Then counts every
     * stream's events over the whole run.
     */
    private ResumeResult awaitResumed(List<SelectorLoop> loops, ResumeCounts resumes, AtomicLongArray perTopic, long extra)
        throws InterruptedException {
        long deadline = System.nanoTime() + 600_000_000_000L;
        long quietSince = System.nanoTime();
        long lastFrames = -1;
        long expectedFrames = 0;
        for (int i = 0; i < options.streams(); i++) {
            expectedFrames += perTopic.get(options.topicOf(i)) + extra;
        }
        while (System.nanoTime() < deadline) {
            long frames = frames(loops);
            // With resume, failed counts only streams answered other than 200 (at first or on a resume): they stay away.
            boolean allBack = established(loops) >= options.streams() - failed(loops);
            if (allBack && frames >= expectedFrames) {
                break;
            }
            if (frames != lastFrames || !allBack) {
                lastFrames = frames;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > 10_000_000_000L) {
                break; // all back and nothing arrived for 10 s: what is missing is lost
            }
            Thread.sleep(100);
            line(loops, "resuming: " + frames + "/" + expectedFrames + " events");
        }
        Tally tally = tally(loops, c -> perTopic.get(options.topicOf(c.index)) + extra);
        long lastEventAt = System.currentTimeMillis() - (System.nanoTime() - tally.lastFrameNanos()) / 1_000_000;
        long perStream = options.streams() == 0 ? 0 : expectedFrames / options.streams();
        return new ResumeResult(established(loops), resumes.attempts.get(), resumes.refused.get(), resumes.closedForGood.get(),
            resumes.lastResumedAtMillis.get(), lastEventAt, perStream, tally.received(), tally.lost(), tally.duplicates(),
            tally.outOfOrder());
    }

    /** Waits while a benchmark's {@code file} exists: it measures the gateway while the streams are held. */
    private static void awaitGone(java.nio.file.Path file) throws InterruptedException {
        while (java.nio.file.Files.exists(file)) {
            Thread.sleep(100);
        }
    }

    /** Creates {@code <sync>.<what>} so that a benchmark knows where this run is. */
    private void signal(String what) throws IOException {
        if (options.sync() != null) {
            java.nio.file.Files.writeString(java.nio.file.Path.of(options.sync() + "." + what), "");
        }
    }

    private void open(List<SelectorLoop> loops, InetSocketAddress server) throws IOException, InterruptedException {
        Ramp ramp = new Ramp(options.rampPerSecond());
        String host = server.getHostString() + ":" + server.getPort();
        for (int i = 0; i < options.streams(); i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            if (!options.sourceAddresses().isEmpty()) {
                channel.bind(new InetSocketAddress(options.sourceAddresses().get(i % options.sourceAddresses().size()), 0));
            }
            SseConnection c = new SseConnection(i, channel);
            URI uri = options.uriFor(i);
            c.pendingRequest = SelectorLoop.request(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()),
                host);
            channel.connect(server);
            loops.get(i % loops.size()).add(c);
            ramp.pace();
            if (i % 1000 == 999) {
                line(loops, "connecting " + (i + 1) + "/" + options.streams());
            }
        }
    }

    private long awaitEstablished(List<SelectorLoop> loops, long start) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            long done = established(loops) + failed(loops);
            if (done >= options.streams()) {
                break;
            }
            Thread.sleep(50);
        }
        line(loops, "established after " + String.format("%.1f s", (System.nanoTime() - start) / 1e9));
        return System.nanoTime();
    }

    private long publish(AtomicLongArray perTopic, List<SelectorLoop> loops) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + (long) (options.durationSeconds() * 1e9);
        long intervalNanos = options.publishRate() > 0 ? (long) (1e9 / options.publishRate()) : 0;
        long next = System.nanoTime();
        AtomicLong ok = new AtomicLong();
        java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(32);
        long lastProgress = System.nanoTime();
        for (long n = 0; (options.publishCount() == 0 || n < options.publishCount()) && System.nanoTime() < deadline; n++) {
            int topic = options.topicCount() <= 1 ? 0 : ThreadLocalRandom.current().nextInt(options.topicCount());
            String target = options.publishUrl().replace("{topic}", Integer.toString(topic));
            String data = Long.toString(SelectorLoop.nowMicros()) + " " + "x".repeat(Math.max(0, options.payloadBytes() - 17));
            inFlight.acquire();
            // The outcome is handled in whenComplete; the returned stage itself is not needed.
            var unused = http.sendAsync(HttpRequest.newBuilder(URI.create(target)).POST(HttpRequest.BodyPublishers.ofString(data)).build(),
                HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
                    if (e == null && r.statusCode() == 200) {
                        perTopic.incrementAndGet(topic);
                        ok.incrementAndGet();
                    }
                    inFlight.release();
                });
            if (intervalNanos > 0) {
                next += intervalNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            if (System.nanoTime() - lastProgress > 1_000_000_000L) {
                lastProgress = System.nanoTime();
                line(loops, "published " + ok.get());
            }
        }
        inFlight.acquire(32);
        return ok.get();
    }

    private long expectedDeliveries(List<SelectorLoop> loops, AtomicLongArray perTopic) {
        long expected = 0;
        for (SelectorLoop loop : loops) {
            for (SseConnection c : loop.connections) {
                if (c.status() == 200) {
                    expected += perTopic.get(options.topicOf(c.index));
                }
            }
        }
        return expected;
    }

    private void awaitDeliveries(List<SelectorLoop> loops, long expected, long publishStart) throws InterruptedException {
        long quietSince = System.nanoTime();
        long lastFrames = -1;
        long deadline = publishStart + (long) (options.durationSeconds() * 1e9) + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            long frames = frames(loops);
            boolean expecting = expected > 0;
            if (expecting && frames >= expected) {
                break;
            }
            if (!expecting && System.nanoTime() - publishStart > options.durationSeconds() * 1e9) {
                break;
            }
            if (frames != lastFrames) {
                lastFrames = frames;
                quietSince = System.nanoTime();
            } else if (expecting && frames > 0 && System.nanoTime() - quietSince > 10_000_000_000L) {
                break; // nothing arrived for 10 s: what is missing is lost
            }
            Thread.sleep(100);
            line(loops, "receiving " + frames + "/" + expected);
        }
    }

    private LoadResult result(List<SelectorLoop> loops, long established, long failed, double establishSeconds,
                              long published, long expected, AtomicLongArray perTopic, long publishStart) {
        Histogram latency = new Histogram(60_000_000L, 3);
        List<PublicationLatencies> byPublication = new ArrayList<>();
        for (SelectorLoop loop : loops) {
            synchronized (loop) {
                latency.add(loop.latency);
                byPublication.add(loop.latencyByPublication);
            }
        }
        Tally tally = tally(loops, c -> c.status() == 200 && expected > 0 ? perTopic.get(options.topicOf(c.index)) : 0);
        long lastFrame = Math.max(publishStart, tally.lastFrameNanos());
        return new LoadResult(options.streams(), established, failed, establishSeconds, published, expected, tally.received(),
            tally.lost(), tally.duplicates(), tally.outOfOrder(), (lastFrame - publishStart) / 1e9,
            ms(latency, 50), ms(latency, 90), ms(latency, 99), latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1000.0,
            PublicationLatencies.merge(byPublication), null);
    }

    /** Every stream's events summed, and when the last arrived (nanoTime; 0 if none did). */
    private record Tally(long received, long lost, long duplicates, long outOfOrder, long lastFrameNanos) {
    }

    /** Sums what the streams got; a stream that got fewer than {@code due} of it has lost the rest. */
    private static Tally tally(List<SelectorLoop> loops, ToLongFunction<SseConnection> due) {
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long outOfOrder = 0;
        long lastFrameNanos = 0;
        for (SelectorLoop loop : loops) {
            synchronized (loop) { // HTTP/2 streams are fed from Jetty's threads under this lock
                lastFrameNanos = Math.max(lastFrameNanos, loop.lastFrameNanos);
                for (SseConnection c : loop.connections) {
                    received += c.stats.received;
                    lost += Math.max(0, due.applyAsLong(c) - c.stats.received);
                    duplicates += c.stats.duplicates;
                    outOfOrder += c.stats.outOfOrder;
                }
            }
        }
        return new Tally(received, lost, duplicates, outOfOrder, lastFrameNanos);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
    }

    private static long sum(List<SelectorLoop> loops, java.util.function.Function<SelectorLoop, AtomicLong> counter) {
        long total = 0;
        for (SelectorLoop l : loops) {
            total += counter.apply(l).get();
        }
        return total;
    }

    private static long established(List<SelectorLoop> loops) {
        return sum(loops, l -> l.established);
    }

    private static long failed(List<SelectorLoop> loops) {
        return sum(loops, l -> l.failed);
    }

    private static long frames(List<SelectorLoop> loops) {
        return sum(loops, l -> l.frames);
    }

    private void line(List<SelectorLoop> loops, String what) {
        long now = System.nanoTime();
        if (progress == null || now - lastLine < 1_000_000_000L) {
            return;
        }
        lastLine = now;
        progress.printf("load: %s | established %d, failed %d, frames %d%n", what, established(loops),
            failed(loops), frames(loops));
    }
}
