package io.ssegateway.publish;

import io.ssegateway.auth.AccessPolicy;
import io.ssegateway.broker.Broker;
import io.ssegateway.event.Event;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Publishing from code in the gateway's own JVM (an application that embeds it): the rules of
 * {@code POST /publish} without HTTP. The topic, type, key and data size are checked as the servlet
 * checks them, the event is stored and then copied for the other door through the same
 * {@link Publication}, and a draining node refuses. No token is asked: the caller is the
 * application itself, trusted as a loopback publisher is. Thread-safe.
 */
public final class DirectPublisher {
    private final AccessPolicy access;
    private final Broker broker;
    private final int maxBodyBytes;
    private final Mirror mirror;
    private final PublishObserver observer;
    private final Publication publication;

    public DirectPublisher(AccessPolicy access, Broker broker, BooleanSupplier draining, int maxBodyBytes,
                           PublishObserver observer, Mirror mirror) {
        this.access = access;
        this.broker = broker;
        this.maxBodyBytes = maxBodyBytes;
        this.mirror = mirror;
        this.observer = observer;
        this.publication = new Publication(draining, observer, "event", "Mercure");
    }

    /**
     * Stores the event and returns it once the broker has it.
     *
     * @param type           the event type, or null
     * @param idempotencyKey the key that makes a repeated publication one, or null
     * @throws InvalidPublication      the topic, type, key or data breaks a rule (400, 413)
     * @throws Publication.NotStored   the node drains or the broker could not store it (503's codes)
     */
    public Event publish(String topic, String type, String data, String idempotencyKey)
        throws InvalidPublication, Publication.NotStored {
        try {
            InvalidPublication.checkNames(topic, type);
            try {
                Publication.checkedKey(idempotencyKey);
            } catch (Publication.InvalidKey e) {
                throw new InvalidPublication(400, e.code(), e.getMessage());
            }
            if (data == null || !StandardCharsets.UTF_8.newEncoder().canEncode(data)) {
                throw new InvalidPublication(400, "invalid-utf8", "the data is not text that UTF-8 can carry (null, or an unpaired surrogate)");
            }
            int bytes = data.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > maxBodyBytes) {
                throw new InvalidPublication(413, "body-too-large", "the data is " + bytes + " bytes; max-body-bytes is " + maxBodyBytes);
            }
        } catch (InvalidPublication e) {
            observer.requestRejected("bad-input");
            throw e;
        }
        return publication.storeOrRefuse(() -> broker.publish(topic, type, data, idempotencyKey),
            () -> mirror.copy(topic, type, data, access.isPrivate(topic), idempotencyKey));
    }
}
