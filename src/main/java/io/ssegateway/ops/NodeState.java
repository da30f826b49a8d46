package io.ssegateway.ops;

/** What {@code /health} and {@code /ready} report of a node; implemented by the wiring root. */
public interface NodeState {
    /** Ready for traffic: not draining, not warming up and the broker reachable. */
    boolean isReady();

    /** True while the jar's warm-up runs ({@code warm-up}): the node serves, but reports not ready. */
    boolean isWarmingUp();

    /** True from the start of shutdown. */
    boolean isDraining();

    boolean isBrokerAvailable();

    /** Streams open now. */
    int streams();

    /** Streams admitted at most. */
    int maxStreams();

    /** The per-stream queue bound. */
    int queueMaxBytes();

    /** This node's name (host/pid), so that an operator can tell nodes apart behind a balancer. */
    String nodeName();
}
