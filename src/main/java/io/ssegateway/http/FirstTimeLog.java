package io.ssegateway.http;

import java.lang.System.Logger.Level;
import java.lang.System.Logger;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Logs a warning the first time its key is seen, so a client's repeated mistake (a browser whose
 * EventSource or page retries every few seconds) shows once in the log instead of never or on
 * every request. Bounded: after {@link #MAX_KEYS} distinct keys it says so once and logs no more
 * new ones, so a client that varies the key cannot grow memory or flood the log.
 */
public final class FirstTimeLog {
    static final int MAX_KEYS = 1000;
    /** A key longer than this is cut: keys come from request headers. */
    private static final int MAX_KEY_LENGTH = 256;

    private final Logger log;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean full = new AtomicBoolean();

    public FirstTimeLog(Logger log) {
        this.log = log;
    }

    /** Logs {@code message} at WARNING if {@code key} was not seen before. */
    public void warn(String key, Supplier<String> message) {
        String k = key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
        if (seen.contains(k)) {
            return;
        }
        if (seen.size() >= MAX_KEYS) {
            if (full.compareAndSet(false, true)) {
                log.log(Level.WARNING, "more than " + MAX_KEYS + " distinct cases of this warning; further new ones are not logged");
            }
            return;
        }
        if (seen.add(k)) {
            log.log(Level.WARNING, message.get());
        }
    }
}
