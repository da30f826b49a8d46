package io.ssegateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscribers handed out group by group, and a group that empties and fills again from many threads. */
class FanOutSetTest {
    @Test
    void iteratesEachGroupInOneRunThenTheUngrouped() {
        FanOutSet<Member> set = new FanOutSet<>();
        assertTrue(set.isEmpty());
        assertFalse(set.iterator().hasNext());
        Object a = new Object();
        Object b = new Object();
        List<Member> added = Member.interleaved(40, a, null, b);
        added.forEach(set::add);
        set.add(added.get(0));
        assertEquals(120, set.size(), "a member added twice is one");
        List<Member> iterated = new ArrayList<>();
        set.iterator().forEachRemaining(iterated::add);
        List<Member> visited = new ArrayList<>();
        set.forEach(visited::add);
        for (List<Member> order : List.of(iterated, visited)) {
            assertEquals(new HashSet<>(added), new HashSet<>(order));
            assertEquals(120, order.size());
            List<Object> runs = Member.runs(order);
            assertEquals(3, runs.size(), "one run per group: " + runs);
            assertEquals("none", runs.get(2), "the ungrouped last");
        }
        Iterator<Member> it = set.iterator();
        for (int i = 0; i < 120; i++) {
            it.next();
        }
        assertThrows(NoSuchElementException.class, it::next);
        added.forEach(set::remove);
        set.remove(added.get(0));
        assertTrue(set.isEmpty(), "emptied groups go");
        assertEquals(0, set.size(), "a member removed twice is counted once");
    }

    /** A member whose hash, taken as it goes into its group's set, waits (at most 500 ms) for {@code removed}. */
    private static final class SlowToHash extends Member {
        final CountDownLatch hashing = new CountDownLatch(1);
        final CountDownLatch removed = new CountDownLatch(1);

        SlowToHash(Object group) {
            super("joining", group);
        }

        @Override
        public int hashCode() {
            if (hashing.getCount() > 0) {
                hashing.countDown();
                try {
                    removed.await(500, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 1;
        }

        @Override
        public boolean equals(Object o) {
            return o == this;
        }
    }

    /**
     * A member joins a group while the group's last member leaves, the removal running between the
     * joining member's finding its group and its going into the group's set: a set that let the
     * group be dropped there loses the new member.
     */
    @Test
    void aGroupEmptiedWhileAnotherMemberJoinsKeepsTheNewMember() throws Exception {
        FanOutSet<Member> set = new FanOutSet<>();
        Object group = new Object();
        Member leaving = new Member("leaving", group);
        SlowToHash joining = new SlowToHash(group);
        set.add(leaving);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> join = pool.submit(() -> set.add(joining));
            assertTrue(joining.hashing.await(10, TimeUnit.SECONDS));
            Future<?> leave = pool.submit(() -> {
                set.remove(leaving);
                joining.removed.countDown();
            });
            join.get(10, TimeUnit.SECONDS);
            leave.get(10, TimeUnit.SECONDS);
            List<Member> members = new ArrayList<>();
            set.forEach(members::add);
            assertEquals(List.of(joining), members);
        } finally {
            pool.shutdownNow();
        }
    }
}
