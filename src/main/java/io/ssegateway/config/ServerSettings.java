package io.ssegateway.config;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The embedded server's settings (the jar only; a WAR's container has its own).
 *
 * @param managementPort     the port that answers only health checks and metrics on threads of its own, if any
 * @param idleTimeout        connection idle timeout; longer than the heartbeat
 * @param maxHeaderBytes     largest request head
 * @param requestHeadTimeout time a new connection has to send its request head
 * @param jvmProfile         true if {@code java -jar} without memory flags restarts under the production JVM profile
 * @param warmUp             true if the jar runs its stream paths on a throwaway node before it listens
 * @param aotCache           the JVM's ahead-of-time cache the jar's launcher passes on; empty: the one beside the jar
 */
public record ServerSettings(int port, String host, OptionalInt managementPort, Duration idleTimeout, int maxHeaderBytes,
                             Duration requestHeadTimeout, boolean jvmProfile, boolean warmUp,
                             String aotCache) {
}
