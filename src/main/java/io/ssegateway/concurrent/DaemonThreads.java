package io.ssegateway.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own threads: daemons, so that a thread left running never keeps the JVM from
 * exiting (shutdown is driven by the container or the shutdown hook, which stop them in order),
 * named so that a thread dump says whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {
    }

    /** Every thread is called {@code name}: for an executor of one thread, or one thread of its own. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, … in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + "-" + n.incrementAndGet());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
