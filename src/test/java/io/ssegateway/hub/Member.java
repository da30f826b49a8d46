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

    /**
     * {@code each} members of every group in {@code groups} (null: no group), added interleaved as the
     * streams of connections opening at once are: one of each group in turn.
     */
    static List<Member> interleaved(int each, Object... groups) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (int g = 0; g < groups.length; g++) {
                members.add(new Member((groups[g] == null ? "none-" : "group" + g + "-") + i, groups[g]));
            }
        }
        return members;
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
