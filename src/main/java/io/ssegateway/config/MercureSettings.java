package io.ssegateway.config;

import java.net.URI;
import java.util.List;

/**
 * The Mercure door's settings.
 *
 * @param enabled whether {@code /.well-known/mercure} is served
 * @param hubUrl  the hub's URL: the resource identifier tokens name in {@code aud}, and the base of
 *                relative topics and URL patterns
 * @param issuers the {@code iss} values accepted
 * @param cookie  the cookie that may carry an access token
 * @param legacy  whether pre-standard clients' forms are accepted too
 * @param subscriptions whether subscription events are published and the subscription API served
 */
public record MercureSettings(boolean enabled, URI hubUrl, List<String> issuers, String cookie, boolean legacy,
                              boolean subscriptions) {
    /** Where the gateway serves Mercure, as the protocol's well-known URI. */
    public static final String PATH = "/.well-known/mercure";
    static final URI DEFAULT_URL = URI.create("https://localhost" + PATH);

    public MercureSettings {
        issuers = List.copyOf(issuers);
    }
}
