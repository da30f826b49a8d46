package io.ssegateway.spring;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The starter's own properties ({@code sse-gateway.*}); the gateway's settings are {@code sse.*}
 * (see {@link SpringSettings}).
 *
 * @param url                the gateway this application talks to when it runs elsewhere; unset, the
 *                           gateway is embedded in this application's servlet container
 * @param token              a Bearer token for that gateway (publish grant), or none
 * @param ignoreGatewayPaths with Spring Security, leave the gateway's own paths ({@code /events},
 *                           {@code /publish}, Mercure's) to the gateway's token rules (default true;
 *                           read by the auto-configuration's condition, listed here so that it is bound
 *                           and documented with the others)
 */
@ConfigurationProperties("sse-gateway")
public record SseGatewayProperties(URI url, String token, Boolean ignoreGatewayPaths) {
}
