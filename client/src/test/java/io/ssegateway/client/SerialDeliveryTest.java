package io.ssegateway.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SerialDeliveryTest {
    /**
     * A reader that stops at every full hand-off and waits for the room signal, as a stream's
     * connection does, is always let go again, and the callbacks run in order: with the smallest
     * bound, where every offer fills the queue and races the drain that empties it.
     */
    @Test
    void aFullHandOffAlwaysSignalsRoomAndKeepsOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        Semaphore room = new Semaphore(0);
        List<Integer> seen = new ArrayList<>();
        SerialDelivery delivery = new SerialDelivery(pool, 1, room::release);
        int n = 100_000;
        try {
            for (int i = 0; i < n; i++) {
                int k = i;
                delivery.offer(() -> seen.add(k));
                if (delivery.isFull()) {
                    assertTrue(room.tryAcquire(5, TimeUnit.SECONDS), "no room signal after offer " + i);
                }
            }
            Semaphore done = new Semaphore(0);
            // An offer, not finish(): finish drops what is still queued, as a closed stream does.
            delivery.offer(done::release);
            assertTrue(done.tryAcquire(5, TimeUnit.SECONDS));
            assertEquals(n, seen.size());
            for (int i = 0; i < n; i++) {
                assertEquals(i, seen.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
