package io.ssegateway.stream;

/**
 * The states of an {@link SseStream}'s write pump. Exactly one thread owns the output in
 * {@link #PUMPING}; all moves happen under the stream's lock.
 *
 * <pre>
 * OPENING --open()--------------------&gt; WAITING
 * WAITING --onWritePossible()---------&gt; PUMPING
 * IDLE    --offer() wakes the pump----&gt; PUMPING
 * PUMPING --queue empty, output ready-&gt; IDLE
 * PUMPING --isReady() false-----------&gt; WAITING
 * any     --close()-------------------&gt; CLOSED
 * </pre>
 */
public enum StreamState {
    /**
     * Async started, the replay is being prepared; live frames are held aside and nothing is
     * written. Next: {@link #WAITING} (after {@code open}) or {@link #CLOSED}.
     */
    OPENING,
    /**
     * The container owes an {@code onWritePossible} call (after {@code setWriteListener}, or
     * because {@code isReady()} returned false). Producers only enqueue.
     * Next: {@link #PUMPING} or {@link #CLOSED}.
     */
    WAITING,
    /**
     * The queue is empty and the output is ready: no callback will come, so the next producer
     * must wake the pump. Next: {@link #PUMPING} or {@link #CLOSED}.
     */
    IDLE,
    /**
     * One thread owns the output and drains the queue while {@code isReady()} is true.
     * Next: {@link #IDLE}, {@link #WAITING} or {@link #CLOSED}.
     */
    PUMPING,
    /** Terminal: the queue is released, the stream is out of the hub and its permit returned. */
    CLOSED
}
