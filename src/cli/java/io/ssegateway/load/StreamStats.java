package io.ssegateway.load;

/**
 * What one stream saw, kept tiny (a few fields per stream, no per-event storage). Ids of one
 * stream must strictly increase within an epoch, so a repeated or lower id is a duplicate or out
 * of order without remembering the ids.
 */
final class StreamStats {
    String epoch;
    long lastSeq = -1;
    long received;
    long duplicates;
    long outOfOrder;

    /** Counts an event with {@code id}; returns true if it was new and in order. */
    boolean onEvent(String id) {
        int dash = id.lastIndexOf('-');
        if (dash <= 0) {
            received++;
            return true;
        }
        String e = id.substring(0, dash);
        long seq;
        try {
            seq = Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException notOurs) {
            received++;
            return true;
        }
        if (!e.equals(epoch)) {
            epoch = e;
            lastSeq = seq;
            received++;
            return true;
        }
        if (seq == lastSeq) {
            duplicates++;
            return false;
        }
        if (seq < lastSeq) {
            outOfOrder++;
            return false;
        }
        lastSeq = seq;
        received++;
        return true;
    }
}
