package io.ssegateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * The address of the client behind a request. {@code X-Forwarded-For} is believed only when the
 * peer is a configured trusted proxy; then the client is the right-most address in it that is not
 * itself a trusted proxy.
 */
public final class ClientAddress {
    private final Set<String> trustedProxies;

    public ClientAddress(Set<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(HttpServletRequest req) {
        String peer = req.getRemoteAddr();
        if (!trustedProxies.contains(peer)) {
            return peer;
        }
        String forwarded = req.getHeader("X-Forwarded-For");
        if (forwarded == null || forwarded.isBlank()) {
            return peer;
        }
        String[] hops = forwarded.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!hop.isEmpty() && !trustedProxies.contains(hop)) {
                return hop.length() > 64 ? hop.substring(0, 64) : hop;
            }
        }
        return peer;
    }

    /** Headers by which a proxy names the client it forwards. */
    private static final java.util.List<String> FORWARDING_HEADERS = java.util.List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");

    /** The first forwarding header {@code req} carries, or null if it came straight from its peer. */
    public static String forwardedBy(HttpServletRequest req) {
        for (String header : FORWARDING_HEADERS) {
            if (req.getHeader(header) != null) {
                return header;
            }
        }
        return null;
    }

    /** True for 127.0.0.0/8 and ::1. */
    public static boolean isLoopback(String address) {
        try {
            return address != null && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }
}
