package io.ssegateway.concurrent;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * An action kept in a field until its event happens, then run once, whichever comes first: the
 * event or the registration. The field is the caller's own ({@code volatile Runnable}, reached
 * through an {@link AtomicReferenceFieldUpdater}), so an object that lives as long as a stream
 * pays a field for it, not an object.
 */
public final class OnceSlot {
    /** The field's value once the event happened. */
    private static final Runnable FIRED = OnceSlot::fired;

    private OnceSlot() {
    }

    private static void fired() {
        // A marker: never run.
    }

    /** Keeps {@code action} in {@code owner}'s slot, or runs it at once if the event already happened. */
    public static <T> void register(AtomicReferenceFieldUpdater<T, Runnable> slot, T owner, Runnable action) {
        if (!slot.compareAndSet(owner, null, action)) {
            if (slot.get(owner) == FIRED) {
                action.run();
            } else {
                throw new IllegalStateException("an action is registered already");
            }
        }
    }

    /** The event happened: runs the registered action, if any, and only the first time. */
    public static <T> void fire(AtomicReferenceFieldUpdater<T, Runnable> slot, T owner) {
        Runnable action = slot.getAndSet(owner, FIRED);
        if (action != null && action != FIRED) {
            action.run();
        }
    }
}
