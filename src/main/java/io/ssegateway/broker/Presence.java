package io.ssegateway.broker;

import java.util.Map;

/**
 * What every node holds now, shared through the broker: each node puts and removes its own
 * entries, and any node lists all of them. A node that stops (even without a goodbye: killed, cut
 * off) loses its entries within seconds. Used for Mercure's active subscriptions.
 */
public interface Presence {
    /** Records this node's entry {@code key}. */
    void put(String key, String value) throws BrokerUnavailableException;

    /** Removes this node's entry {@code key}; nothing if there is none. */
    void remove(String key) throws BrokerUnavailableException;

    /** The entries of every live node whose key starts with {@code prefix}. */
    Map<String, String> list(String prefix) throws BrokerUnavailableException;

    /** One process: a map. */
    final class Local implements Presence {
        private final Map<String, String> entries = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void put(String key, String value) {
            entries.put(key, value);
        }

        @Override
        public void remove(String key) {
            entries.remove(key);
        }

        @Override
        public Map<String, String> list(String prefix) {
            Map<String, String> out = new java.util.TreeMap<>();
            entries.forEach((k, v) -> {
                if (k.startsWith(prefix)) {
                    out.put(k, v);
                }
            });
            return out;
        }
    }
}
