package io.ssegateway.client;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;

/**
 * A response body read as UTF-8 text up to a bound, the rest read and dropped: the gateway's
 * answers are small JSON objects, but a proxy in between may answer with a page of any size, and
 * an answer never costs the client more than the bound.
 */
final class BoundedText {
    /** More than any answer of the gateway. */
    static final int LIMIT = 64 * 1024;

    private BoundedText() {
    }

    static BodySubscriber<String> subscriber() {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        return BodySubscribers.mapping(BodySubscribers.ofByteArrayConsumer(chunk -> chunk.ifPresent(bytes -> {
            int room = LIMIT - kept.size();
            if (room > 0) {
                kept.write(bytes, 0, Math.min(room, bytes.length));
            }
        })), done -> kept.toString(StandardCharsets.UTF_8));
    }
}
