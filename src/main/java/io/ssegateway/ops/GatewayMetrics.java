package io.ssegateway.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.ssegateway.broker.BrokerObserver;
import io.ssegateway.hub.HubObserver;
import io.ssegateway.publish.PublishObserver;
import io.ssegateway.stream.StreamObserver;
import java.util.function.DoubleSupplier;

/**
 * The gateway's metrics, in its own registry (so that two gateways in one JVM, or a redeployed
 * WAR, never share counters). Names follow Prometheus conventions; every counter that the hot
 * path touches is a striped adder, so fan-out threads do not contend on it.
 *
 * <p>Label values of {@code reason} are the documented wire names of the close, rejection and
 * gap reasons (for example {@code slow-consumer}, {@code capacity}, {@code history-trimmed}).
 */
public final class GatewayMetrics implements BrokerObserver, HubObserver, StreamObserver, PublishObserver {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String node = BuildInfo.newNodeName();

    private final Counter streamsOpened = Counter.builder().name("sse_streams_opened_total")
        .help("Streams admitted and started").register(registry);
    private final Counter streamsClosed = Counter.builder().name("sse_streams_closed_total")
        .help("Streams closed, by reason").labelNames("reason").register(registry);
    private final Counter requestsRejected = Counter.builder().name("sse_requests_rejected_total")
        .help("Requests refused before streaming or publishing, by reason").labelNames("reason").register(registry);
    private final Counter eventsPublished = Counter.builder().name("sse_events_published_total")
        .help("Events accepted by the broker through this node").register(registry);
    private final Counter framesDelivered = Counter.builder().name("sse_frames_delivered_total")
        .help("Event frames handed to local streams (one per event per stream)").register(registry);
    private final Counter bytesWritten = Counter.builder().name("sse_bytes_written_total")
        .help("Bytes handed to the container for client sockets").register(registry);
    private final Counter socketWrites = Counter.builder().name("sse_socket_writes_total")
        .help("Writes handed to the container; fewer than frames when queued frames were coalesced").register(registry);
    private final Counter framesDropped = Counter.builder().name("sse_frames_dropped_total")
        .help("Frames dropped from slow streams under the drop-oldest policy").register(registry);
    private final Counter eventsReplayed = Counter.builder().name("sse_events_replayed_total")
        .help("Events sent from history to resuming streams").register(registry);
    private final Counter gapsSignalled = Counter.builder().name("sse_gaps_signalled_total")
        .help("Gap events sent to streams, by reason").labelNames("reason").register(registry);
    private final Counter brokerReconnects = Counter.builder().name("sse_broker_reconnects_total")
        .help("Times the broker's subscription connection was re-established").register(registry);
    private final Info buildInfo = Info.builder().name("sse_build_info")
        .help("The gateway's version and the name of this node (host/pid)").labelNames("version", "node").register(registry);
    private final Gauge brokerConnected = Gauge.builder().name("sse_broker_connected")
        .help("1 while the broker is reachable, 0 otherwise").register(registry);
    private final Histogram publishToWrite = Histogram.builder().name("sse_publish_to_write_seconds")
        .help("Time from publishing an event to handing its frame to a client socket (oldest frame of each write)")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);

    public GatewayMetrics() {
        JvmMetrics.builder().register(registry);
        brokerConnected.set(1);
        buildInfo.setLabelValues(BuildInfo.version(), node);
    }

    /** This node's name (host/pid), as /health and {@code sse_build_info} report it. */
    public String node() {
        return node;
    }

    /** Gauges read from live state at scrape time. */
    public void registerState(DoubleSupplier openStreams, DoubleSupplier maxStreams, DoubleSupplier queuedBytes) {
        gauge("sse_streams_open", "Streams open now", openStreams);
        gauge("sse_streams_max", "Streams this node admits at most", maxStreams);
        gauge("sse_queued_bytes", "Bytes waiting in stream queues", queuedBytes);
    }

    private void gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help)
            .callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    @Override
    public void streamOpened() {
        streamsOpened.inc();
    }

    @Override
    public void streamClosed(String reason) {
        streamsClosed.labelValues(reason).inc();
    }

    @Override
    public void requestRejected(String reason) {
        requestsRejected.labelValues(reason).inc();
    }

    @Override
    public void eventPublished() {
        eventsPublished.inc();
    }

    @Override
    public void framesDelivered(int n) {
        if (n > 0) {
            framesDelivered.inc(n);
        }
    }

    /** One write of {@code n} bytes (possibly many coalesced frames) whose oldest event was published then (0: none). */
    @Override
    public void written(int n, long oldestPublishedAtMillis) {
        socketWrites.inc();
        bytesWritten.inc(n);
        if (oldestPublishedAtMillis > 0) {
            publishToWrite.observe(Math.max(0, System.currentTimeMillis() - oldestPublishedAtMillis) / 1000.0);
        }
    }

    @Override
    public void framesDropped(int n) {
        framesDropped.inc(n);
    }

    @Override
    public void eventsReplayed(int n) {
        if (n > 0) {
            eventsReplayed.inc(n);
        }
    }

    @Override
    public void gapSignalled(String reason) {
        gapsSignalled.labelValues(reason).inc();
    }

    @Override
    public void brokerConnected(boolean connected) {
        brokerConnected.set(connected ? 1 : 0);
    }

    @Override
    public void brokerReconnected() {
        brokerReconnects.inc();
    }

}
