package io.ssegateway.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How this node reads publication bodies (both doors): each at most {@code max-body-bytes}, and all
 * bodies still arriving together at most a ceiling of buffered bytes. Read without a thread
 * ({@link RequestBody}), an unfinished body costs no thread but does hold what it has sent; the
 * ceiling keeps clients that start many bodies and do not finish them (each lives up to
 * {@link RequestBody#DEADLINE}) from filling the heap: past it a body is refused with 503
 * {@code publish-bodies-full}, and streams are not affected.
 */
public final class RequestBodies {
    /** The ceiling unless four bodies of the largest size need more: 16 MiB, ~256 bodies of the default 64 KiB. */
    static final long MIN_CEILING = 16L << 20;

    private final int maxBodyBytes;
    private final long ceiling;
    private final AtomicLong buffered = new AtomicLong();

    /** @param maxBodyBytes the largest body ({@code max-body-bytes}) */
    public RequestBodies(int maxBodyBytes) {
        this(maxBodyBytes, Math.max(MIN_CEILING, 4L * maxBodyBytes));
    }

    RequestBodies(int maxBodyBytes, long ceiling) {
        this.maxBodyBytes = maxBodyBytes;
        this.ceiling = ceiling;
    }

    /**
     * Reads {@code req}'s body and hands it to {@code receiver}, or refuses it (413, 408, 503), now
     * or, if the body is still on its way, asynchronously ({@link RequestBody#read}). Call it last in
     * a servlet's {@code service}.
     */
    public void read(HttpServletRequest req, HttpServletResponse resp, RequestBody.Receiver receiver) throws IOException {
        RequestBody.read(req, resp, maxBodyBytes, this, receiver);
    }

    /** Counts {@code bytes} more as buffered; false, counting nothing, if that would pass the ceiling. */
    boolean take(int bytes) {
        long now;
        do {
            now = buffered.get();
            if (now + bytes > ceiling) {
                return false;
            }
        } while (!buffered.compareAndSet(now, now + bytes));
        return true;
    }

    /** Counts {@code bytes} taken earlier as no longer buffered. */
    void give(long bytes) {
        buffered.addAndGet(-bytes);
    }

    long ceiling() {
        return ceiling;
    }
}
