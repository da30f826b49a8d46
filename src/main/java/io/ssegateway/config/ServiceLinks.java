package io.ssegateway.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kubernetes service links: the variables Kubernetes puts into every pod for every Service in its
 * namespace (unless the pod says {@code enableServiceLinks: false}). A Service named {@code sse} or
 * {@code sse-gateway} gives variables in the gateway's {@code SSE_} namespace that are no settings,
 * and one named {@code sse} sets {@code SSE_PORT=tcp://10.96.0.10:8080}, the name of a real
 * setting. They are recognised by their shapes, and values where a name could be a setting, and
 * set aside before settings are read, so they neither stop start-up nor change the port:
 *
 * <pre>
 * &lt;SERVICE&gt;_SERVICE_HOST=10.96.0.12
 * &lt;SERVICE&gt;_SERVICE_PORT=8080            &lt;SERVICE&gt;_SERVICE_PORT_&lt;PORT NAME&gt;=8080
 * &lt;SERVICE&gt;_PORT=tcp://10.96.0.12:8080
 * &lt;SERVICE&gt;_PORT_8080_TCP=tcp://10.96.0.12:8080
 * &lt;SERVICE&gt;_PORT_8080_TCP_PROTO=tcp      _PORT=8080      _ADDR=10.96.0.12
 * </pre>
 */
final class ServiceLinks {
    private static final System.Logger LOG = System.getLogger(ServiceLinks.class.getName());

    /** Names that only service links have (no setting's variable ends like these). */
    private static final Pattern LINK_NAME = Pattern.compile(
        "[A-Z0-9_]+_SERVICE_HOST|[A-Z0-9_]+_SERVICE_PORT(_[A-Z0-9_]+)?|[A-Z0-9_]+_PORT_[0-9]+_(TCP|UDP|SCTP)(_PROTO|_PORT|_ADDR)?");
    /** {@code <SERVICE>_PORT}'s value: Docker-link style, never a port number. */
    private static final Pattern LINK_URL = Pattern.compile("(tcp|udp|sctp)://[^\\s/]+:[0-9]+");

    private ServiceLinks() {
    }

    /** True if {@code name=value} is a Kubernetes service link, not meant for the gateway. */
    static boolean isLink(String name, String value) {
        return LINK_NAME.matcher(name).matches()
            || (name.endsWith("_PORT") && value != null && LINK_URL.matcher(value.trim()).matches());
    }

    /**
     * The environment without the service links in the gateway's {@code prefix}; says in one log
     * line which it set aside.
     */
    static Map<String, String> setAside(Map<String, String> env, String prefix) {
        Map<String, String> kept = new TreeMap<>();
        Map<String, String> links = new TreeMap<>();
        env.forEach((name, value) -> (name.startsWith(prefix) && isLink(name, value) ? links : kept).put(name, value));
        if (!links.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "ignoring {0} Kubernetes service-link variable(s), not settings: {1}",
                links.size(), String.join(", ", links.keySet()));
        }
        return kept;
    }
}
