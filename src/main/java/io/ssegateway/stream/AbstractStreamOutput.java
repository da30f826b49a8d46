package io.ssegateway.stream;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * What every {@link StreamOutput} keeps the same way: the action for the client's departure and
 * the one for the response's end, each run once, whichever comes first, the event or the
 * registration. Kept in fields, not in objects of their own: an output lives as long as its stream.
 */
public abstract class AbstractStreamOutput implements StreamOutput {
    /** A slot's value once its event happened. */
    private static final Runnable FIRED = AbstractStreamOutput::fired;
    private static final AtomicReferenceFieldUpdater<AbstractStreamOutput, Runnable> GONE =
        AtomicReferenceFieldUpdater.newUpdater(AbstractStreamOutput.class, Runnable.class, "gone");
    private static final AtomicReferenceFieldUpdater<AbstractStreamOutput, Runnable> FINISHED =
        AtomicReferenceFieldUpdater.newUpdater(AbstractStreamOutput.class, Runnable.class, "finished");

    @SuppressWarnings("unused") // read and written through GONE
    private volatile Runnable gone;
    @SuppressWarnings("unused") // read and written through FINISHED
    private volatile Runnable finished;

    @Override
    public final void whenGone(Runnable action) {
        register(GONE, action);
    }

    @Override
    public final void whenFinished(Runnable action) {
        register(FINISHED, action);
    }

    /** The client left: runs the {@link #whenGone} action, the first time only. */
    protected final void fireGone() {
        fire(GONE);
    }

    /** The response's end was written or failed: runs the {@link #whenFinished} action, the first time only. */
    protected final void fireFinished() {
        fire(FINISHED);
    }

    private void register(AtomicReferenceFieldUpdater<AbstractStreamOutput, Runnable> slot, Runnable action) {
        if (!slot.compareAndSet(this, null, action)) {
            if (slot.get(this) != FIRED) {
                throw new IllegalStateException("an action is registered already");
            }
            action.run();
        }
    }

    private void fire(AtomicReferenceFieldUpdater<AbstractStreamOutput, Runnable> slot) {
        Runnable action = slot.getAndSet(this, FIRED);
        if (action != null && action != FIRED) {
            action.run();
        }
    }

    private static void fired() {
        // A marker: never run.
    }
}
