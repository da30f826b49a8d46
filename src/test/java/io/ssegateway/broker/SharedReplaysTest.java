package io.ssegateway.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Resumes with the same question share history reads, but never one taken before an event was
 * handed out live that they may have missed: such a read may lack an event they could not get live
 * either. {@code handedOut} plays the hub's count of events handed to streams.
 */
class SharedReplaysTest {
    private static final EventId AFTER = new EventId("e1", 7);
    private final AtomicLong handedOut = new AtomicLong();
    private final SharedReplays shared = new SharedReplays(handedOut::get);
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final AtomicInteger reads = new AtomicInteger();

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    /** A page whose one event's sequence is the number of the read that made it (1, 2, …). */
    private Replay readNumbered() {
        int n = reads.incrementAndGet();
        return new Replay(List.of(Event.create(new EventId("e1", 100 + n), "t", null, "read " + n, 0)), null, null, false);
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a read of topic {@code t} and returns once it runs; it ends when {@code release} is counted down. */
    private Future<Replay> readingUntil(CountDownLatch release) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Future<Replay> reading = ask(List.of("t"), () -> {
            started.countDown();
            hold(release);
            return readNumbered();
        });
        assertTrue(started.await(5, TimeUnit.SECONDS), "the first read started");
        return reading;
    }

    private Future<Replay> ask(List<String> topics, SharedReplays.Read read) {
        return callers.submit(() -> shared.replay(topics, AFTER, 4096, read));
    }

    @Test
    void afterAnEventWasHandedOutCallersShareTheNextReadAndNeverTheRunningOne() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<Replay> first = readingUntil(releaseFirst);
        handedOut.incrementAndGet(); // an event went out live while the first read ran: it may lack it
        List<Future<Replay>> later = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            later.add(ask(List.of("t"), this::readNumbered));
        }
        Thread.sleep(200); // the 50 are waiting behind the running read
        assertEquals(0, reads.get(), "nothing else read while the first read ran");
        releaseFirst.countDown();
        assertEquals(101, first.get(5, TimeUnit.SECONDS).events().get(0).seq());
        Replay next = later.get(0).get(5, TimeUnit.SECONDS);
        assertEquals(102, next.events().get(0).seq(), "the later callers got a read that started after they asked");
        for (Future<Replay> f : later) {
            assertSame(next, f.get(5, TimeUnit.SECONDS), "one read for all 50");
        }
        assertEquals(2, reads.get(), "51 callers, two reads");
    }

    @Test
    void whileNothingIsHandedOutCallersJoinTheRunningReadAndThenTakeItsPage() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<Replay> first = readingUntil(releaseFirst);
        List<Future<Replay>> joined = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joined.add(ask(List.of("t"), this::readNumbered));
        }
        Thread.sleep(200);
        releaseFirst.countDown();
        Replay page = first.get(5, TimeUnit.SECONDS);
        for (Future<Replay> f : joined) {
            assertSame(page, f.get(5, TimeUnit.SECONDS), "nothing went out live since the read started: it serves them");
        }
        assertSame(page, shared.replay(List.of("t"), AFTER, 4096, this::readNumbered), "and later callers too");
        assertEquals(1, reads.get());
        handedOut.incrementAndGet();
        assertEquals(102, shared.replay(List.of("t"), AFTER, 4096, this::readNumbered).events().get(0).seq(),
            "once an event went out live, the kept page is stale: read again");
    }

    @Test
    void differentQuestionsDoNotShare() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<Replay> a = ask(List.of("a"), () -> {
            hold(release);
            return readNumbered();
        });
        Future<Replay> b = ask(List.of("b"), this::readNumbered);
        assertEquals(1, b.get(5, TimeUnit.SECONDS).events().size(), "topic b did not wait for topic a's read");
        release.countDown();
        a.get(5, TimeUnit.SECONDS);
        Replay otherId = shared.replay(List.of("a"), new EventId("e1", 8), 4096, this::readNumbered);
        Replay otherBudget = shared.replay(List.of("a"), AFTER, 100, this::readNumbered);
        assertEquals(4, reads.get(), "topics, last id and page budget each make a question of their own: " + otherId + otherBudget);
    }

    @Test
    void aFailedReadFailsEveryCallerOfItsBatchAndTheNextQuestionReadsAgain() throws Exception {
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Future<Replay> first = readingUntil(releaseFirst);
        handedOut.incrementAndGet(); // so the batch below does not join the first read
        List<Future<Replay>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(ask(List.of("t"), () -> {
                throw new BrokerUnavailableException("redis: connection refused");
            }));
        }
        Thread.sleep(200);
        releaseFirst.countDown();
        first.get(5, TimeUnit.SECONDS);
        for (Future<Replay> f : batch) {
            Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof BrokerUnavailableException, e.toString());
        }
        assertEquals(102, shared.replay(List.of("t"), AFTER, 4096, this::readNumbered).events().get(0).seq(),
            "after the failure the question is read afresh");
    }
}
