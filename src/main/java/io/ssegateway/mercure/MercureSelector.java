package io.ssegateway.mercure;

import io.ssegateway.event.Event;
import io.ssegateway.hub.Selector;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What one Mercure subscriber receives: updates one of whose topics matches one of its matchers,
 * and of private updates only those its token grants {@code subscribe} on one of the topics. Its
 * matchers never widen what the token allows. {@link MercureRouter} applies this to live updates
 * through an index; {@link #wants} applies it to the subscriber's history, update by update.
 */
final class MercureSelector implements Selector {
    private final List<Matcher> matchers;
    private final Grants grants;
    private final URI hubUrl;

    /** @param grants the subscriber's token's grants, or null if it presented none */
    MercureSelector(List<Matcher> matchers, Grants grants, URI hubUrl) {
        this.matchers = List.copyOf(matchers);
        this.grants = grants;
        this.hubUrl = hubUrl;
    }

    List<Matcher> matchers() {
        return matchers;
    }

    /** True if the subscriber may read {@code update}, whose topics are {@code topics}, given it was routed to it. */
    boolean mayRead(MercureUpdate update, List<Topic> topics) {
        return !update.privateUpdate() || (grants != null && grants.allowsSubscribeToAny(topics));
    }

    /** True for an update it may read that one of its matchers selects. */
    @Override
    public boolean wants(Event event) {
        MercureUpdate update;
        try {
            update = MercureUpdate.of(event);
        } catch (IllegalArgumentException notAnUpdate) {
            return false;
        }
        List<Topic> topics = topics(update, hubUrl);
        for (Topic t : topics) {
            for (Matcher m : matchers) {
                if (m.matches(t)) {
                    return mayRead(update, topics);
                }
            }
        }
        return false;
    }

    static List<Topic> topics(MercureUpdate update, URI hubUrl) {
        List<Topic> out = new ArrayList<>(update.topics().size());
        for (String t : update.topics()) {
            out.add(new Topic(t, hubUrl));
        }
        return out;
    }
}
