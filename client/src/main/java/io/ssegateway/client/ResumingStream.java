package io.ssegateway.client;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One subscription: connects, reads events, and reconnects after the last event it received until
 * it is closed or refused for good. States (guarded by this object's monitor):
 *
 * <pre>
 * CONNECTING --preamble or first event--> OPEN
 * CONNECTING, OPEN --stream ended, failed or went idle--> WAITING --delay--> CONNECTING
 * any --close() or a refusal--> CLOSED (once)
 * </pre>
 *
 * Each connection attempt is a {@link Connection} numbered by {@code generation}; what an older
 * attempt reports after a newer one started (or after close) is ignored. No thread is held: the
 * HTTP client's executor feeds lines, the timer waits, the {@link SerialDelivery} calls the
 * listener.
 */
final class ResumingStream implements EventStream {
    /** The reconnect delay until the gateway sends {@code retry:} (the WHATWG default's order). */
    static final long DEFAULT_RETRY_MILLIS = 3_000;

    private enum State { CONNECTING, OPEN, WAITING, CLOSED }

    private final ClientParts parts;
    private final EventListener listener;
    private final boolean envelope;
    private final String pathAndQuery;
    private final SerialDelivery delivery;
    private final Runnable whenClosed;

    private State state = State.CONNECTING;
    private int generation;
    private Connection connection;
    private ScheduledFuture<?> pendingReconnect;
    /** Attempts in a row that did not open a stream; drives the backoff. */
    private int failures;

    private volatile String lastEventId;
    private volatile long retryMillis = DEFAULT_RETRY_MILLIS;

    ResumingStream(ClientParts parts, Subscription subscription, EventListener listener, Runnable whenClosed) {
        this.parts = parts;
        this.listener = listener;
        this.envelope = subscription.isEnvelope();
        this.lastEventId = subscription.initialLastEventId();
        this.whenClosed = whenClosed;
        StringBuilder query = new StringBuilder("events?");
        for (String topic : subscription.topics()) {
            query.append("topic=").append(URLEncoder.encode(topic, StandardCharsets.UTF_8)).append('&');
        }
        this.pathAndQuery = envelope ? query.append("envelope=json").toString() : query.substring(0, query.length() - 1);
        this.delivery = new SerialDelivery(parts.callbacks(), subscription.handOffEvents(), this::room);
    }

    @Override
    public String lastEventId() {
        return lastEventId;
    }

    @Override
    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    @Override
    public void close() {
        end(StreamEnd.CLOSED);
    }

    /** Opens the first connection. */
    void start() {
        connect();
    }

    private void connect() {
        Connection attempt;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CONNECTING;
            attempt = new Connection(++generation);
            connection = attempt;
        }
        HttpRequest request;
        try {
            HttpRequest.Builder builder = parts.request(pathAndQuery).header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
            String resumeAfter = lastEventId;
            if (resumeAfter != null) {
                builder.header("Last-Event-ID", resumeAfter);
            }
            request = builder.GET().build();
        } catch (RuntimeException e) {
            // The token supplier failed: retried like a connection that failed.
            ended(attempt, null, e);
            return;
        }
        attempt.exchange = parts.http().sendAsync(request, attempt);
        // Every outcome, failures included, goes to ended(): nothing is left in the future to check.
        var unused = attempt.exchange.whenComplete((response, failure) -> ended(attempt, response, failure));
        attempt.watchIdle();
    }

    /** Decides what an attempt's end means: reconnect after a delay, or end for good. */
    private void ended(Connection attempt, HttpResponse<String> response, Throwable failure) {
        StreamEnd refusal = null;
        String reason;
        long delay;
        synchronized (this) {
            if (state == State.CLOSED || attempt.generation != generation) {
                return;
            }
            attempt.stopWatching();
            if (attempt.serverReason != null) {
                // The gateway said why the stream ends. How the connection then ended does not
                // change that: cleanly, or cut by the node's exit or by a proxy in between.
                reason = attempt.serverReason;
                delay = attempt.serverDelay >= 0 ? attempt.serverDelay : retryMillis;
            } else if (failure != null || response == null) {
                reason = attempt.idle ? "idle" : attempt.opened ? "stream-ended" : "connection-failed";
                delay = attempt.opened ? retryMillis : backoff();
            } else if (isEventStream(response.statusCode(), response.headers())) {
                reason = "stream-ended";
                delay = attempt.opened ? retryMillis : backoff();
            } else {
                int status = response.statusCode();
                StreamEnd answer = refusal(response);
                if (status == 401 && "token-expired".equals(answer.error())) {
                    // The token source gave a token that expired on the way (or lives too short a
                    // time to open a stream): its next one may be fresh.
                    reason = "token-expired";
                    delay = backoff();
                } else if (status == 200 || status == 204 || (status >= 400 && status < 500 && status != 408 && status != 429)) {
                    refusal = answer;
                    reason = null;
                    delay = 0;
                } else {
                    reason = "http-" + status;
                    delay = Math.max(backoff(), Delays.retryAfterMillis(response.headers(), 3_600));
                }
            }
            if (refusal == null) {
                state = State.WAITING;
                pendingReconnect = parts.timer().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            }
        }
        if (refusal != null) {
            end(refusal);
            return;
        }
        long wait = delay;
        delivery.offer(() -> listener.onReconnecting(wait, reason));
    }

    /** Ends the subscription once: closes the connection, drops undelivered events, calls onClosed. */
    private void end(StreamEnd why) {
        Connection current;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            current = connection;
            connection = null;
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
        }
        if (current != null) {
            current.cancel();
        }
        delivery.finish(() -> listener.onClosed(why));
        whenClosed.run();
    }

    /** The backoff after {@code failures} attempts in a row: doubling from retry, capped, jittered. */
    private long backoff() {
        failures++;
        return Delays.jittered(Math.min(parts.maxBackoffMillis(), retryMillis << Math.min(failures - 1, 16)));
    }

    /** The delivery drained: the current connection may read again. */
    private void room() {
        Connection current;
        synchronized (this) {
            current = connection;
        }
        if (current != null) {
            current.resume();
        }
    }

    private synchronized void opened(Connection attempt) {
        if (attempt.generation == generation && state == State.CONNECTING) {
            state = State.OPEN;
            failures = 0;
        }
    }

    /** A 200 whose body is an event stream (anything else is read whole, as an error). */
    private static boolean isEventStream(int status, HttpHeaders headers) {
        return status == 200 && headers.firstValue("Content-Type")
            .map(type -> type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")).orElse(false);
    }

    private static StreamEnd refusal(HttpResponse<String> response) {
        Map<String, String> json = FlatJson.read(response.body());
        if (json != null && json.containsKey("error")) {
            return new StreamEnd(response.statusCode(), json.get("error"), json.getOrDefault("message", ""));
        }
        String type = response.headers().firstValue("Content-Type").orElse("none");
        return new StreamEnd(response.statusCode(), response.statusCode() == 200 ? "not-an-event-stream" : "http-" + response.statusCode(),
            "the answer was " + response.statusCode() + " " + type + ", not a stream");
    }

    /**
     * One connection attempt: the body handler that turns a 200 event stream into lines for this
     * object (any other answer is read whole, for its error), the line subscriber with its demand
     * (one line at a time while the delivery has room), and the parser's sink. Lines arrive one at a
     * time on the HTTP client's executor.
     */
    private final class Connection implements BodyHandler<String>, Flow.Subscriber<String>, EventParser.Sink {
        final int generation;
        private final EventParser parser = new EventParser(this, lastEventId);
        private final AtomicBoolean paused = new AtomicBoolean();
        private volatile Flow.Subscription lines;
        private volatile long lastByteNanos = System.nanoTime();
        private ScheduledFuture<?> idleCheck;
        volatile CompletableFuture<HttpResponse<String>> exchange;
        volatile boolean opened;
        volatile boolean idle;
        /** {@code server-shutdown} or {@code server-busy} when the gateway said why the stream ends. */
        volatile String serverReason;
        volatile long serverDelay = -1;

        Connection(int generation) {
            this.generation = generation;
        }

        @Override
        public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
            return isEventStream(info.statusCode(), info.headers()) ? BodySubscribers.fromLineSubscriber(this, subscriber -> (String) null, StandardCharsets.UTF_8, null)
                : BoundedText.subscriber();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            lines = subscription;
            if (isStale()) {
                subscription.cancel();
                return;
            }
            subscription.request(1);
        }

        @Override
        public void onNext(String line) {
            lastByteNanos = System.nanoTime();
            parser.line(line);
            if (!delivery.isFull()) {
                lines.request(1);
                return;
            }
            paused.set(true);
            // The delivery may have drained between the check and the flag: then no room signal comes.
            if (!delivery.isFull()) {
                resume();
            }
        }

        @Override
        public void onError(Throwable failure) {
            // Reported through the exchange's future, which fails with it.
        }

        @Override
        public void onComplete() {
            // Reported through the exchange's future.
        }

        void resume() {
            Flow.Subscription current = lines;
            if (current != null && paused.compareAndSet(true, false)) {
                current.request(1);
            }
        }

        @Override
        public void event(String id, String type, String data) {
            if (id != null) {
                lastEventId = id;
            }
            switch (type) {
                case "gap" -> {
                    Map<String, String> json = FlatJson.read(data);
                    Gap gap = json == null ? new Gap("unknown", null, 0)
                        : new Gap(json.getOrDefault("reason", "unknown"), json.get("lastEventId"), number(json.get("dropped"), 0));
                    open();
                    delivery.offer(() -> listener.onGap(gap));
                }
                case "server-shutdown", "server-busy" -> {
                    Map<String, String> json = FlatJson.read(data);
                    serverDelay = json == null ? -1 : number(json.get("retryMillis"), -1);
                    serverReason = type;
                }
                default -> {
                    ServerEvent event = envelope ? unwrap(id, type, data) : new ServerEvent(id, type, data, null);
                    open();
                    delivery.offer(() -> listener.onEvent(event));
                }
            }
        }

        @Override
        public void comment(String text) {
            if ("sse-gateway".equals(text)) {
                open();
            }
        }

        @Override
        public void retry(long millis) {
            retryMillis = millis;
        }

        private void open() {
            if (!opened) {
                opened = true;
                opened(this);
                delivery.offer(listener::onOpen);
            }
        }

        private ServerEvent unwrap(String id, String type, String data) {
            Map<String, String> json = FlatJson.read(data);
            if (json == null || !json.containsKey("topic") || !json.containsKey("data")) {
                return new ServerEvent(id, type, data, null);
            }
            return new ServerEvent(id, type, json.get("data"), json.get("topic"));
        }

        private boolean isStale() {
            synchronized (ResumingStream.this) {
                return state == State.CLOSED || generation != ResumingStream.this.generation;
            }
        }

        /** Checks, twice per idle timeout, that a byte (an event or a heartbeat) came. */
        void watchIdle() {
            long every = Math.max(1, parts.idleTimeout().toMillis() / 2);
            ScheduledFuture<?> check = parts.timer().scheduleWithFixedDelay(this::checkIdle, every, every, TimeUnit.MILLISECONDS);
            synchronized (ResumingStream.this) {
                idleCheck = check;
                if (isStale()) {
                    check.cancel(false);
                }
            }
        }

        private void checkIdle() {
            if (System.nanoTime() - lastByteNanos > parts.idleTimeout().toNanos()) {
                idle = true;
                cancel();
                ended(this, null, new IOException("no byte for " + parts.idleTimeout()));
            }
        }

        /** Called with the stream's monitor held. */
        void stopWatching() {
            if (idleCheck != null) {
                idleCheck.cancel(false);
            }
        }

        void cancel() {
            synchronized (ResumingStream.this) {
                stopWatching();
            }
            Flow.Subscription current = lines;
            if (current != null) {
                current.cancel();
            }
            CompletableFuture<HttpResponse<String>> pending = exchange;
            if (pending != null) {
                pending.cancel(true);
            }
        }
    }

    private static long number(String text, long otherwise) {
        if (text == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
