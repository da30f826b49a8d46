package io.ssegateway.stream;

/**
 * Who owns an open stream's output. Exactly one thread owns it in {@link #PUMPING}; all moves
 * happen under the stream's lock.
 *
 * <pre>
 * WAITING --onWritePossible()---------&gt; PUMPING
 * IDLE    --a producer wakes the pump--&gt; PUMPING
 * PUMPING --nothing to write---------&gt; IDLE
 * PUMPING --isReady() false------------&gt; WAITING
 * </pre>
 */
enum PumpState {
    /**
     * The output owes an {@code onWritePossible} call (after {@code StreamOutput.start}, or because
     * {@code isReady()} returned false). Producers only enqueue. Next: PUMPING.
     */
    WAITING,
    /**
     * Nothing to write, and no callback is owed ({@code isReady()} has not returned false since the
     * last one), so the next producer must wake the pump. The last write may still be in flight:
     * the woken pump asks {@code isReady()} before it writes. Next: PUMPING.
     */
    IDLE,
    /** One thread owns the output and writes while {@code isReady()} is true. Next: IDLE, WAITING. */
    PUMPING;

    /** True if the diagram above has a move from this state to {@code next}. */
    boolean canMoveTo(PumpState next) {
        return this == PUMPING ? next == IDLE || next == WAITING : next == PUMPING;
    }
}
