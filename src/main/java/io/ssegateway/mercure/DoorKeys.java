package io.ssegateway.mercure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Idempotency keys for the copies one door makes of another's publications. A broker keeps keys per
 * topic, and a copy lands on another topic than its original (the Mercure log, or a native topic),
 * so the copy's key names its origin and topic: one publisher's key on two topics stays two copies,
 * and a retry of one publication copies once. Hashed to the broker's 1-128 visible characters.
 */
final class DoorKeys {
    private DoorKeys() {
    }

    /** The key of the copy of a publication from {@code door} to {@code topic}, or null if it had none. */
    static String forCopy(String door, String topic, String idempotencyKey) {
        if (idempotencyKey == null) {
            return null;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest((door + "\n" + topic + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "copy-" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
