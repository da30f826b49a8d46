package io.ssegateway.server;

import io.ssegateway.load.EventSourceSwarm;
import io.ssegateway.load.LoadOptions;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sse-gateway storm}: N browser-like EventSource clients connect at once; reports how they fared. */
@Command(name = "storm", mixinStandardHelpOptions = true,
    description = "Reconnect storm: N clients that behave like a browser's native EventSource (any non-200 answer "
        + "fails them for good; retry: and Last-Event-ID are honoured) connect at once. Reports how first attempts "
        + "were answered, how many ended CLOSED and how long until all were streaming. Exit 1 if any ended CLOSED "
        + "or not all were streaming in time.")
final class StormCommand implements Callable<Integer> {
    @Option(names = "--url", required = true, description = "SSE URL, e.g. http://127.0.0.1:8080/events?topic=storm")
    String url;

    @Option(names = "--clients", defaultValue = "1000")
    int clients;

    @Option(names = "--source-addresses", description = "Local addresses to bind in rotation: 127.0.0.1-127.0.0.16 or a,b,c")
    String sourceAddresses;

    @Option(names = "--timeout", defaultValue = "30", description = "Seconds to wait for every client to stream")
    double timeout;

    @Option(names = "--hold", defaultValue = "0",
        description = "Seconds to stay connected once all stream; negative: until killed (to be SIGKILLed in a storm)")
    double hold;

    @Override
    public Integer call() throws Exception {
        EventSourceSwarm swarm = new EventSourceSwarm(URI.create(url), clients, LoadOptions.addresses(sourceAddresses),
            System.err);
        long timeoutMillis = hold < 0 ? Long.MAX_VALUE / 2_000_000 : (long) (timeout * 1000);
        EventSourceSwarm.Result result = swarm.run(timeoutMillis, hold < 0 ? -1 : (long) (hold * 1000));
        System.out.println(result.summary());
        return result.closedForGood() == 0 && result.streaming() == clients ? 0 : 1;
    }
}
