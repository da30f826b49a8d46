package io.ssegateway.stream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.broker.BrokerUnavailableException;
import io.ssegateway.broker.Replay;
import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrame;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import io.ssegateway.event.FrameEncoder;
import io.ssegateway.event.WireFormat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Drives {@link SseStream} deterministically: a fake output whose readiness the test sets, a host
 * whose executor tasks the test runs by hand, and a hub that is a set. No threads, no sockets.
 */
class SseStreamTest {
    private static final String EPOCH = "e1";

    private final FakeOutput out = new FakeOutput();
    private final FakeHost host = new FakeHost();

    private SseStream stream(int queueMaxBytes, boolean resuming) {
        SseStream s = new SseStream(out,
            new Subscription(List.of("t"), resuming ? new EventId("e", 0) : null, WireFormat.PLAIN), queueMaxBytes,
            SlowConsumerPolicy.CLOSE, host, null);
        s.whenClosed(() -> host.permitsReleased++);
        return s;
    }

    private static Event event(long seq, int dataBytes) {
        return Event.create(new EventId(EPOCH, seq), "t", null, "x".repeat(dataBytes), System.currentTimeMillis());
    }


    private static ControlFrame preamble() {
        return ControlFrames.preamble(3000);
    }

    /** The shutdown's telling stops at the drain's deadline (a supervisor's kill may follow it). */
    @Test
    void theRosterStopsVisitingStreamsWhenTheDeadlinePasses() {
        StreamRoster roster = new StreamRoster();
        for (int i = 0; i < 10; i++) {
            roster.add(stream(4096, false));
        }
        assertEquals(10, roster.forEachUntil(System.nanoTime() + TimeUnit.MINUTES.toNanos(1), s -> { }));
        assertEquals(0, roster.forEachUntil(System.nanoTime() - 1, s -> { }), "a deadline already passed");
        int visited = roster.forEachUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100), s -> sleep(40));
        assertTrue(visited >= 1 && visited < 10, "visited until the deadline passed: " + visited);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aStreamClosedBeforeItRegistersNeverJoinsTheHub() throws Exception {
        SseStream s = stream(4096, false);
        s.close(CloseReason.TOKEN_EXPIRED);
        assertTrue(s.start().isCompletedExceptionally(), "start() after close must not register");
        assertFalse(host.hub.contains(s));
        assertEquals(1, host.permitsReleased);
        assertTrue(out.completed);
        assertTrue(out.text().contains("event: server-busy"), "closed before open: a retry answer, not an empty body");
    }

    @Test
    void aStreamClosedWhileRegisteringLeavesTheHub() throws Exception {
        SseStream s = stream(4096, false);
        // The close lands between the hub adding the stream and start() returning (a token that
        // expired inside the clock skew, closed by the ticker at once).
        host.onRegister = () -> s.close(CloseReason.TOKEN_EXPIRED);
        assertTrue(s.start().isDone());
        assertFalse(host.hub.contains(s), "a stream closed while registering must not stay in the hub");
        assertEquals(1, host.permitsReleased);
        assertEquals(StreamState.CLOSED, s.state());
    }

    @Test
    void aTokenExpiringAtOpenAnswersRetryAndReleasesEverythingOnce() throws Exception {
        SseStream s = stream(4096, false);
        assertTrue(s.start().isDone());
        assertEquals(StreamState.OPENING, s.state());
        s.close(CloseReason.TOKEN_EXPIRED);
        s.close(CloseReason.CLIENT_GONE);
        s.open(preamble(), null, null);
        assertEquals(StreamState.CLOSED, s.state());
        assertFalse(host.hub.contains(s));
        assertEquals(1, host.permitsReleased);
        assertEquals(List.of("token-expired"), host.closeReasons);
        assertTrue(out.text().startsWith("retry: "), out.text());
        assertTrue(out.text().contains("\"reason\":\"token-expired\""), out.text());
    }

    @Test
    void aPendingCloseIsScheduledOnceAndLaterOffersAreIgnored() throws Exception {
        SseStream s = stream(1024, false);
        assertTrue(s.start().isDone());
        s.open(preamble(), null, null);
        out.ready = false;
        out.listener.onWritePossible(); // the pump finds the output busy: WAITING
        for (long seq = 1; seq <= 50; seq++) {
            s.offer(event(seq, 100));
        }
        assertEquals(StreamState.CLOSING, s.state());
        assertEquals(1, host.tasks.size(), "one close task, however many offers came after the queue filled");
        host.runTasks();
        assertEquals(StreamState.CLOSED, s.state());
        assertEquals(List.of("slow-consumer"), host.closeReasons);
        assertEquals(1, host.permitsReleased);
    }

    @Test
    void aReplayIsPagedWithinTheQueueBoundAndLiveEventsFollowWithoutGapOrDuplicate() throws Exception {
        SseStream s = catchingUpThroughFortyEvents();
        // Live events arrive while the replay is paged (each is in history too, as the broker stores first).
        host.history.add(event(41, 10));
        s.offer(event(41, 10));
        host.onPage = page -> {
            if (page == 3) {
                host.history.add(event(42, 10));
                s.offer(event(42, 10));
            }
        };
        out.listener.onWritePossible(); // an always-ready output: the pump pages through everything
        assertTrue(host.maxPageBytes <= 4096, "a page never exceeds the queue bound: " + host.maxPageBytes);
        assertEquals(StreamState.LIVE, s.state());
        s.offer(event(43, 10));
        host.runTasks();
        List<Long> ids = out.ids();
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= 43; seq++) {
            expected.add(seq);
        }
        assertEquals(expected, ids, "every event once, in order");
        assertTrue(host.pagesRead > 5, "read in pages: " + host.pagesRead);
    }

    /**
     * Live events held while the replay is paged wait for the last page: they are merged from the
     * buffer, not re-read from history, which may have let go of them meanwhile (history bounds).
     */
    @Test
    void liveEventsHeldDuringCatchUpWaitForTheLastPageEvenIfHistoryNoLongerHasThem() throws Exception {
        SseStream s = catchingUpThroughFortyEvents();
        s.offer(event(41, 10)); // held; history never shows it to the pager
        out.listener.onWritePossible();
        assertEquals(StreamState.LIVE, s.state());
        List<Long> expected = new ArrayList<>();
        for (long seq = 1; seq <= 41; seq++) {
            expected.add(seq);
        }
        assertEquals(expected, out.ids(), "the held event is delivered once, after the replay");
    }

    @Test
    void aResumingClientThatReadsNothingIsClosedAtTheNextTickWithoutALiveEvent() throws Exception {
        for (long seq = 1; seq <= 40; seq++) {
            host.history.add(event(seq, 1000));
        }
        SseStream s = stream(4096, true);
        assertTrue(s.start().isDone());
        Replay first = host.replay(s, new EventId(EPOCH, 0), 4000);
        s.open(preamble(), new EventId(EPOCH, 0), first);
        out.ready = false; // the client reads nothing
        out.listener.onWritePossible();
        s.heartbeat();
        assertEquals(StreamState.CATCHING_UP, s.state(), "a stall is judged over a whole interval");
        s.heartbeat();
        assertEquals(StreamState.CLOSING, s.state());
        host.runTasks();
        assertEquals(List.of("slow-consumer"), host.closeReasons);
        assertFalse(host.hub.contains(s));
    }

    @Test
    void shutdownDrainsTheQueueThenCloses() throws Exception {
        SseStream s = stream(4096, false);
        assertTrue(s.start().isDone());
        s.open(preamble(), null, null);
        out.ready = false;
        out.listener.onWritePossible();
        s.offer(event(1, 10));
        s.shutdown(new ControlFrame(FrameEncoder.event(null, "server-shutdown", "{}")));
        assertEquals(StreamState.DRAINING, s.state());
        s.offer(event(2, 10));
        out.ready = true;
        out.listener.onWritePossible();
        assertEquals(StreamState.CLOSED, s.state());
        assertEquals(List.of(1L), out.ids());
        assertTrue(out.text().endsWith("event: server-shutdown\ndata: {}\n\n"), out.text());
        assertTrue(out.lastChunk != null && new String(out.lastChunk, StandardCharsets.UTF_8).endsWith(
            "event: server-shutdown\ndata: {}\n\n"), "the last frames went out with the end, not before it");
        assertEquals(List.of("shutdown"), host.closeReasons);
    }

    /** Every call of the stream in every state: illegal ones throw naming the state and change nothing. */
    @Test
    void everyCallOutsideItsStatesIsRefusedNamingTheState() throws Exception {
        Map<String, Set<StreamState>> illegalIn = Map.of(
            "start", EnumSet.of(StreamState.OPENING, StreamState.CATCHING_UP, StreamState.LIVE, StreamState.DRAINING),
            "open", EnumSet.of(StreamState.NEW, StreamState.CATCHING_UP, StreamState.LIVE, StreamState.DRAINING),
            "offer", EnumSet.of(StreamState.NEW),
            "offerGap", EnumSet.of(StreamState.NEW),
            "heartbeat", EnumSet.of(StreamState.NEW),
            "shutdown", EnumSet.noneOf(StreamState.class),
            "pageRead", EnumSet.of(StreamState.NEW, StreamState.OPENING, StreamState.LIVE),
            "onWritePossible", EnumSet.of(StreamState.NEW, StreamState.OPENING));
        int refused = 0;
        for (StreamState state : StreamState.values()) {
            for (Map.Entry<String, Set<StreamState>> call : illegalIn.entrySet()) {
                SseStreamTest fresh = new SseStreamTest();
                SseStream s = fresh.streamIn(state);
                String before = s.toString();
                Runnable act = fresh.call(s, call.getKey());
                if (call.getValue().contains(state)) {
                    IllegalStateException e = assertThrows(IllegalStateException.class, act::run,
                        call.getKey() + " in " + state);
                    assertTrue(e.getMessage().contains(state.name()), e.getMessage());
                    assertEquals(before, s.toString(), "a refused " + call.getKey() + " changes nothing");
                    refused++;
                } else {
                    assertDoesNotThrow(act::run, call.getKey() + " in " + state);
                }
            }
        }
        assertEquals(16, refused);
    }

    @Test
    void aSecondOnWritePossibleWithoutABusyOutputIsRefused() throws Exception {
        SseStream s = streamIn(StreamState.LIVE);
        out.ready = false;
        assertTrue(s.writePossible());
        IllegalStateException e = assertThrows(IllegalStateException.class, s::writePossible);
        assertTrue(e.getMessage().contains("PUMPING"), e.getMessage());
    }

    @Test
    void aClosedStreamIgnoresEveryCallAndClosesOnce() throws Exception {
        SseStream s = streamIn(StreamState.LIVE);
        s.close(CloseReason.CLIENT_GONE);
        for (String call : List.of("start", "open", "offer", "offerGap", "heartbeat", "shutdown", "pageRead")) {
            call(s, call).run();
        }
        s.close(CloseReason.SHUTDOWN);
        assertEquals(StreamState.CLOSED, s.state());
        assertEquals(List.of("client-gone"), host.closeReasons);
        assertEquals(1, host.permitsReleased);
        assertTrue(host.tasks.isEmpty(), "nothing scheduled after the close");
    }

    /**
     * A stream resuming from the start of a history of 40 events of about 1 KB, opened with its
     * first page: its queue holds 4 KB, so the rest of the replay takes about ten more pages.
     */
    private SseStream catchingUpThroughFortyEvents() throws Exception {
        for (long seq = 1; seq <= 40; seq++) {
            host.history.add(event(seq, 1000));
        }
        SseStream s = stream(4096, true);
        assertTrue(s.start().isDone());
        Replay first = host.replay(s, new EventId(EPOCH, 0), 4096 - 64);
        s.open(preamble(), new EventId(EPOCH, 0), first);
        assertEquals(StreamState.CATCHING_UP, s.state());
        return s;
    }

    /** A new stream taken to {@code state} by the calls that lead there, with its pump not running. */
    private SseStream streamIn(StreamState state) throws Exception {
        boolean catchingUp = state == StreamState.CATCHING_UP;
        if (catchingUp) {
            for (long seq = 1; seq <= 10; seq++) {
                host.history.add(event(seq, 1000));
            }
        }
        SseStream s = stream(4096, catchingUp);
        if (state == StreamState.NEW) {
            return s;
        }
        assertTrue(s.start().isDone());
        switch (state) {
            case CLOSING -> s.shutdown(shutdownFrame());
            case CLOSED -> s.close(CloseReason.CLIENT_GONE);
            case OPENING -> { }
            default -> {
                Replay first = catchingUp ? host.replay(s, new EventId(EPOCH, 0), 2000) : null;
                s.open(preamble(), catchingUp ? new EventId(EPOCH, 0) : null, first);
                if (state == StreamState.DRAINING) {
                    s.shutdown(shutdownFrame());
                }
            }
        }
        assertEquals(state, s.state());
        return s;
    }

    private Runnable call(SseStream s, String name) {
        return switch (name) {
            case "start" -> () -> {
                var unused = s.start();
            };
            case "open" -> () -> s.open(preamble(), null, null);
            case "offer" -> () -> s.offer(event(100, 10));
            case "offerGap" -> () -> s.offerGap("trimmed", null);
            case "heartbeat" -> s::heartbeat;
            case "shutdown" -> () -> s.shutdown(shutdownFrame());
            case "pageRead" -> () -> s.pageRead(Replay.page(List.of(), 4096, null, null, false));
            case "onWritePossible" -> () -> s.writePossible();
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ControlFrame shutdownFrame() {
        return new ControlFrame(FrameEncoder.event(null, "server-shutdown", "{}"));
    }

    // ---- fakes ----

    /** An output whose readiness the test sets; records what is written and whether it completed. */
    static final class FakeOutput implements StreamOutput {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ready = true;
        boolean completed;
        /** What {@link #complete} was given to write with the end. */
        byte[] lastChunk;
        StreamOutput.Pump listener;

        @Override
        public void setHeader(String name, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isCommitted() {
            return bytes.size() > 0;
        }

        @Override
        public void start(StreamOutput.Pump pump) {
            listener = pump;
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public boolean write(ByteBuffer chunk) {
            bytes.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
            return true;
        }

        @Override
        public void flush() {
            // written at once
        }

        @Override
        public void complete(ByteBuffer last) {
            if (last != null) {
                lastChunk = new byte[last.remaining()];
                last.duplicate().get(lastChunk);
                write(last);
            }
            completed = true;
        }

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public void whenGone(Runnable gone) {
            // the client never leaves here
        }

        @Override
        public void whenFinished(Runnable finished) {
            // nobody counts here
        }

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        List<Long> ids() {
            List<Long> ids = new ArrayList<>();
            Matcher m = Pattern.compile("(?m)^id: " + EPOCH + "-(\\d+)$").matcher(text());
            while (m.find()) {
                ids.add(Long.parseLong(m.group(1)));
            }
            return ids;
        }
    }

    /** A hub that is a set, history that is a list, and an executor whose tasks the test runs. */
    static final class FakeHost implements StreamHost {
        final Set<SseStream> hub = new HashSet<>();
        final List<Event> history = new ArrayList<>();
        final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        final List<String> closeReasons = new ArrayList<>();
        final LongAdder queued = new LongAdder();
        Runnable onRegister = () -> { };
        java.util.function.IntConsumer onPage = page -> { };
        int permitsReleased;
        int pagesRead;
        int maxPageBytes;

        void runTasks() {
            for (Runnable r; (r = tasks.poll()) != null; ) {
                r.run();
            }
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public LongAdder queueTally() {
            return queued;
        }

        @Override
        public CompletableFuture<Void> register(SseStream stream) {
            hub.add(stream);
            onRegister.run();
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void unregister(SseStream stream) {
            hub.remove(stream);
        }

        @Override
        public Replay replay(SseStream stream, EventId after, int maxBytes) throws BrokerUnavailableException {
            List<Event> after1 = history.stream().filter(e -> e.seq() > after.seq()).toList();
            Replay page = Replay.page(after1, maxBytes, null, null, false);
            pagesRead++;
            onPage.accept(pagesRead);
            maxPageBytes = Math.max(maxPageBytes, page.events().stream().mapToInt(e -> e.frame().length).sum());
            return page;
        }

        @Override
        public ControlFrame closedBeforeOpen(CloseReason reason) {
            return BusyAnswer.frame(reason.wireName(), 3000, 0);
        }

        @Override
        public void written(int bytes, long oldestPublishedAtMillis) {
        }

        @Override
        public void replayed(int events) {
        }

        @Override
        public void dropped(int frames) {
        }

        @Override
        public void gapSignalled(String reason) {
        }

        @Override
        public void closed(SseStream stream, CloseReason reason) {
            closeReasons.add(reason.wireName());
        }
    }
}
