package io.ssegateway.config;

/** The broker a gateway uses, as chosen by the {@code broker} setting. */
public enum BrokerKind {
    /** In this process only: one node. */
    MEMORY,
    /** Redis (one server or Sentinel): many nodes. */
    REDIS,
    /** NATS JetStream (one server or a cluster): many nodes. */
    NATS
}
