package io.ssegateway.hub;

import io.ssegateway.event.Event;
import io.ssegateway.event.EventId;
import java.util.ArrayList;
import java.util.List;

/** A subscriber that is only handed out (nothing is offered to it): a name and its fan-out group, or null. */
class Member implements Subscriber {
    private final String name;
    private final Object group;

    Member(String name) {
        this(name, null);
    }

    Member(String name, Object group) {
        this.name = name;
        this.group = group;
    }

    @Override
    public Object fanOutGroup() {
        return group;
    }

    @Override
    public List<String> topics() {
        return List.of("t");
    }

    @Override
    public void offer(Event event) {
        // only handed out
    }

    @Override
    public void offerGap(String reason, EventId restart) {
        // only handed out
    }

    /** The groups {@code order} visits, one entry per run of members of one group ("none" for no group). */
    static List<Object> runs(List<? extends Member> order) {
        List<Object> runs = new ArrayList<>();
        for (Member m : order) {
            Object g = m.group == null ? "none" : m.group;
            if (runs.isEmpty() || runs.get(runs.size() - 1) != g) {
                runs.add(g);
            }
        }
        return runs;
    }

    @Override
    public String toString() {
        return name;
    }
}
