package io.ssegateway.stream;

import io.ssegateway.config.SlowConsumerPolicy;
import io.ssegateway.event.ControlFrames;
import io.ssegateway.event.Frame;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;

/**
 * The frames waiting for one client, bounded in bytes, and drained as one coalesced buffer.
 * Not thread-safe: its owner, {@link SseStream}, guards it with the stream's monitor.
 *
 * <p>Frames added with {@link #add} (preamble, replay, heartbeats, control events) bypass the
 * bound; live events go through {@link #offer}, which applies the slow-consumer policy. Under
 * {@code drop-oldest} the number of dropped frames is remembered and {@link #drain} puts a
 * {@code gap} event in front of the next write.
 */
final class FrameQueue {
    private final int maxBytes;
    private final SlowConsumerPolicy policy;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>(8);
    /** The node's bytes in all queues, kept up to date by every change of {@link #bytes}: read per scrape, not summed. */
    private final LongAdder nodeBytes;
    private int bytes;
    /** Frames dropped under drop-oldest since the last gap event was drained. */
    private int droppedSinceGap;

    /** A queue bounded by {@code maxBytes} whose size also counts in {@code nodeBytes}. */
    FrameQueue(int maxBytes, SlowConsumerPolicy policy, LongAdder nodeBytes) {
        this.maxBytes = maxBytes;
        this.policy = policy;
        this.nodeBytes = nodeBytes;
    }

    /** The bound in bytes that live frames are offered against. */
    int maxBytes() {
        return maxBytes;
    }

    /** Adds without applying the bound. */
    void add(Frame f) {
        frames.addLast(f);
        resize(bytes + f.frame().length);
    }

    /**
     * Adds a live frame under the slow-consumer policy. A frame always fits an empty queue.
     *
     * @return the number of frames dropped to make room (drop-oldest), or -1 if the frame does not
     *         fit and the stream must close
     */
    int offer(Frame f) {
        int size = f.frame().length;
        int dropped = 0;
        if (bytes + size > maxBytes && !frames.isEmpty()) {
            if (policy == SlowConsumerPolicy.CLOSE) {
                return -1;
            }
            while (bytes + size > maxBytes && !frames.isEmpty()) {
                resize(bytes - frames.removeFirst().frame().length);
                dropped++;
            }
            droppedSinceGap += dropped;
        }
        add(f);
        return dropped;
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    int bytes() {
        return bytes;
    }

    int size() {
        return frames.size();
    }

    /** True if {@link #drain} has something to return: frames, or a gap event for dropped ones. */
    boolean hasFrames() {
        return !frames.isEmpty() || droppedSinceGap > 0;
    }

    /** True if the next {@link #drain} starts with a gap event for dropped frames. */
    boolean gapPending() {
        return droppedSinceGap > 0;
    }

    /** Publish time of the oldest queued event, or 0 if only control frames wait. */
    long oldestPublishedAt() {
        Frame first = frames.peekFirst();
        if (first == null) {
            return 0;
        }
        if (first.publishedAtMillis() > 0) {
            return first.publishedAtMillis(); // the common case, asked at every write: no iterator made
        }
        for (Frame f : frames) {
            if (f.publishedAtMillis() > 0) {
                return f.publishedAtMillis();
            }
        }
        return 0;
    }

    /**
     * Takes every queued frame as one buffer (a single frame is wrapped, not copied), preceded by
     * a gap event if frames were dropped; null if nothing waits.
     */
    ByteBuffer drain() {
        if (!hasFrames()) {
            return null;
        }
        byte[] gap = droppedSinceGap > 0 ? ControlFrames.dropped(droppedSinceGap).frame() : null;
        droppedSinceGap = 0;
        if (frames.size() == 1 && gap == null) {
            resize(0);
            return ByteBuffer.wrap(frames.removeFirst().frame());
        }
        byte[] all = new byte[bytes + (gap == null ? 0 : gap.length)];
        int at = gap == null ? 0 : copy(gap, all, 0);
        for (Frame f; (f = frames.pollFirst()) != null; ) {
            at = copy(f.frame(), all, at);
        }
        resize(0);
        return ByteBuffer.wrap(all, 0, at);
    }

    private static int copy(byte[] frame, byte[] all, int at) {
        System.arraycopy(frame, 0, all, at, frame.length);
        return at + frame.length;
    }

    void clear() {
        frames.clear();
        resize(0);
        droppedSinceGap = 0;
    }

    private void resize(int newBytes) {
        nodeBytes.add(newBytes - bytes);
        bytes = newBytes;
    }
}
