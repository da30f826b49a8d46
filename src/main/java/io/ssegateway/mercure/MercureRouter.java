package io.ssegateway.mercure;

import io.ssegateway.event.Event;
import io.ssegateway.hub.Router;
import io.ssegateway.hub.Subscriber;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The router of the Mercure log topic: each update goes to the streams one of whose matchers
 * matches one of its topics (found through a {@link MatcherIndex}, not by testing every stream),
 * once however many of their matchers match, and if private only to those whose token grants it.
 * Its streams' selectors are {@link MercureSelector}s.
 */
final class MercureRouter<S extends Subscriber> implements Router<S> {
    private static final System.Logger LOG = System.getLogger(MercureRouter.class.getName());

    private final URI hubUrl;
    private final RecentIds recent;
    private final MatcherIndex<S> index = new MatcherIndex<>();
    private final Set<S> streams = ConcurrentHashMap.newKeySet();

    MercureRouter(URI hubUrl, RecentIds recent) {
        this.hubUrl = hubUrl;
        this.recent = recent;
    }

    @Override
    public void add(S stream) {
        streams.add(stream);
        for (Matcher m : selector(stream).matchers()) {
            index.add(m, stream);
        }
    }

    @Override
    public boolean remove(S stream) {
        for (Matcher m : selector(stream).matchers()) {
            index.remove(m, stream);
        }
        streams.remove(stream);
        return streams.isEmpty();
    }

    @Override
    public int route(Event event, Consumer<S> to) {
        MercureUpdate update;
        try {
            update = MercureUpdate.of(event);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "skipped {0} on the Mercure log topic: {1}", event, e.getMessage());
            return 0;
        }
        recent.seen(update.id(), event.id());
        List<Topic> topics = MercureSelector.topics(update, hubUrl);
        Set<S> chosen = new HashSet<>();
        for (Topic t : topics) {
            index.collect(t, chosen::add);
        }
        int n = 0;
        for (S stream : chosen) {
            if (selector(stream).mayRead(update, topics)) {
                to.accept(stream);
                n++;
            }
        }
        return n;
    }

    @Override
    public void forEach(Consumer<S> action) {
        streams.forEach(action);
    }

    private static MercureSelector selector(Subscriber stream) {
        return (MercureSelector) stream.selector();
    }
}
