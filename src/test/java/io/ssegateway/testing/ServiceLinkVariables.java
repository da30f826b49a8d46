package io.ssegateway.testing;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** What Kubernetes puts in every pod's environment for each Service in the namespace (service links). */
public final class ServiceLinkVariables {
    private ServiceLinkVariables() {
    }

    /** The variables of a Service called {@code service} at {@code ip}, with one TCP port named http. */
    public static Map<String, String> of(String service, String ip, int port) {
        String n = service.toUpperCase(Locale.ROOT).replace('-', '_');
        String url = "tcp://" + ip + ":" + port;
        Map<String, String> env = new TreeMap<>();
        env.put(n + "_SERVICE_HOST", ip);
        env.put(n + "_SERVICE_PORT", Integer.toString(port));
        env.put(n + "_SERVICE_PORT_HTTP", Integer.toString(port));
        env.put(n + "_PORT", url);
        env.put(n + "_PORT_" + port + "_TCP", url);
        env.put(n + "_PORT_" + port + "_TCP_PROTO", "tcp");
        env.put(n + "_PORT_" + port + "_TCP_PORT", Integer.toString(port));
        env.put(n + "_PORT_" + port + "_TCP_ADDR", ip);
        return env;
    }
}
