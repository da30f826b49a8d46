package io.ssegateway.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a load run does.
 *
 * @param url             the SSE URL; {@code {i}} in it is replaced by the stream's index modulo
 *                        {@code topicCount} (per-user topics), e.g. {@code /events?topic=user-{i}}
 * @param streams         streams to open
 * @param topicCount      distinct values of {@code {i}} (1 when the URL has none)
 * @param sourceAddresses local addresses to bind, in rotation (empty: let the kernel choose)
 * @param rampPerSecond   new connections per second
 * @param publishUrl      where to POST events ({@code {topic}} is replaced), or null to not publish
 * @param publishRate     events per second, 0 for as fast as possible
 * @param publishCount    events to publish, 0 for as many as the duration allows
 * @param payloadBytes    size of each event's data (the publish time in microseconds, then padding)
 * @param durationSeconds how long to stay connected after all streams are established
 * @param selectors       selector threads
 * @param publishDelaySeconds pause between all streams established and the first publish
 * @param expectEvents    events each stream should receive from publishers elsewhere (0: only
 *                        what this run publishes)
 * @param h2PerConnection streams per HTTP/2 connection (h2 for https URLs, h2c for http), or 0 for
 *                        one HTTP/1.1 connection per stream
 * @param sync            a path prefix for coordinating with a benchmark (or null): the run creates
 *                        {@code <sync>.established} and, after the deliveries, {@code <sync>.held},
 *                        then waits while {@code <sync>.hold} exists before disconnecting; with
 *                        {@code resume}, a {@code <sync>.expect-more} file present when the hold ends
 *                        holds the number of events published elsewhere meanwhile, which every
 *                        stream must then get too (by resuming), before {@code <sync>.resumed},
 *                        after which the resumed streams are held while {@code <sync>.hold-resumed}
 *                        exists
 * @param resume          HTTP/2 only: streams that end open again as an EventSource does (after the
 *                        server's {@code retry:}, with {@code Last-Event-ID})
 */
public record LoadOptions(String url, int streams, int topicCount, List<InetAddress> sourceAddresses, int rampPerSecond,
                          String publishUrl, double publishRate, int publishCount, int payloadBytes,
                          double durationSeconds, int selectors, double publishDelaySeconds, int expectEvents,
                          java.nio.file.Path sync, int h2PerConnection, boolean resume) {

    /** Options with no delay, no outside publisher and no benchmark coordination. */
    public LoadOptions(String url, int streams, int topicCount, List<InetAddress> sourceAddresses, int rampPerSecond,
                       String publishUrl, double publishRate, int publishCount, int payloadBytes, double durationSeconds,
                       int selectors) {
        this(url, streams, topicCount, sourceAddresses, rampPerSecond, publishUrl, publishRate, publishCount, payloadBytes,
            durationSeconds, selectors, 0, 0, null, 0, false);
    }

    /** The topic index substituted for {@code {i}} in stream {@code index}'s URL. */
    int topicOf(int index) {
        return topicCount <= 1 ? 0 : index % topicCount;
    }

    /** Stream {@code index}'s URL. */
    URI uriFor(int index) {
        return URI.create(url.replace("{i}", Integer.toString(topicOf(index))));
    }

    /** Parses {@code 127.0.0.1-127.0.0.16} or a comma list into addresses. */
    public static List<InetAddress> addresses(String spec) throws UnknownHostException {
        List<InetAddress> out = new ArrayList<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            int dash = p.indexOf('-');
            if (dash < 0) {
                out.add(InetAddress.getByName(p));
                continue;
            }
            byte[] from = InetAddress.getByName(p.substring(0, dash)).getAddress();
            byte[] to = InetAddress.getByName(p.substring(dash + 1)).getAddress();
            for (int last = from[3] & 0xff; last <= (to[3] & 0xff); last++) {
                out.add(InetAddress.getByAddress(new byte[] {from[0], from[1], from[2], (byte) last}));
            }
        }
        return out;
    }
}
