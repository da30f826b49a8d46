package io.ssegateway.server;

import io.ssegateway.load.LoadGenerator;
import io.ssegateway.load.LoadOptions;
import io.ssegateway.load.LoadResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code sse-gateway load}: opens N streams against any SSE URL, optionally publishes, reports. */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load generator: N SSE streams over a few NIO selectors; counts received, lost, duplicated and "
        + "out-of-order events and publish-to-receive latency. Exit 1 if any stream failed or any event was lost, "
        + "duplicated or out of order.")
final class LoadCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "SSE URL; {i} is replaced by stream index modulo --topics")
    String url;

    @Option(names = "--streams", defaultValue = "1000")
    int streams;

    @Option(names = "--topics", defaultValue = "1", description = "Distinct values of {i} in --url and {topic} in --publish-url")
    int topics;

    @Option(names = "--source-addresses", description = "Local addresses to bind in rotation: 127.0.0.1-127.0.0.16 or a,b,c")
    String sourceAddresses;

    @Option(names = "--ramp", defaultValue = "5000", description = "New connections per second (default ${DEFAULT-VALUE})")
    int ramp;

    @Option(names = "--publish-url", description = "POST target, e.g. http://127.0.0.1:8080/publish?topic=user-{topic}")
    String publishUrl;

    @Option(names = "--publish-rate", defaultValue = "0", description = "Events per second; 0 = as fast as possible")
    double publishRate;

    @Option(names = "--publish-count", defaultValue = "0", description = "Events to publish; 0 = until --duration ends")
    int publishCount;

    @Option(names = "--payload-bytes", defaultValue = "100")
    int payloadBytes;

    @Option(names = "--duration", defaultValue = "30", description = "Seconds to publish / stay connected")
    double duration;

    @Option(names = "--selectors", defaultValue = "0", description = "Selector threads; 0 = one per core")
    int selectors;

    @Option(names = "--json", description = "Write the result as JSON to this file")
    Path json;

    @Option(names = "--publish-delay", defaultValue = "0", description = "Seconds between all streams established and publishing")
    double publishDelay;

    @Option(names = "--expect-events", defaultValue = "0",
        description = "Events each stream should get from publishers elsewhere (counts them as lost if missing)")
    int expectEvents;

    @Option(names = "--h2-streams-per-connection", defaultValue = "0",
        description = "Open the streams over HTTP/2, this many per connection (h2 for https, h2c for http); 0 = HTTP/1.1")
    int h2PerConnection;

    @Option(names = "--sync", description = "Benchmark coordination prefix (see LoadOptions)")
    Path sync;

    @Option(names = "--resume", description = "HTTP/2 only: a stream that ends opens again as an EventSource does, after "
        + "the server's retry: delay, with Last-Event-ID; a non-200 answer ends it for good")
    boolean resume;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (resume && h2PerConnection <= 0) {
            // HTTP/1.1 clients that behave as EventSource are the storm command's (EventSourceSwarm).
            throw new ParameterException(spec.commandLine(), "--resume needs --h2-streams-per-connection; for HTTP/1.1 "
                + "EventSource clients use the storm command");
        }
        LoadOptions options = new LoadOptions(url, streams, topics, LoadOptions.addresses(sourceAddresses), ramp,
            publishUrl, publishRate, publishCount, payloadBytes, duration,
            selectors > 0 ? selectors : Runtime.getRuntime().availableProcessors(), publishDelay, expectEvents, sync,
            h2PerConnection, resume);
        LoadResult result = new LoadGenerator(options, System.err).run();
        System.out.println(result.summary());
        if (json != null) {
            Files.writeString(json, result.toJson().toString());
        }
        return result.clean() ? 0 : 1;
    }
}
