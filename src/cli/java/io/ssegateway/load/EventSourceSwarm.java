package io.ssegateway.load;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * N clients that behave like a browser's native {@code EventSource} towards one URL, all
 * connecting at once: the reconnect-storm half of the benchmark.
 *
 * <p>What each client does, as the HTML specification has it: a {@code 200 text/event-stream}
 * answer opens it; a {@code retry:} field sets its reconnection delay; when the stream ends or the
 * connection fails it reconnects after that delay (3 s until a server says otherwise) with
 * {@code Last-Event-ID}; <em>any other status fails it for good</em> (CLOSED), which is what
 * happens to a browser user in a storm if a node answers 503. The swarm reports how each client's
 * first attempt was answered, how many ended CLOSED, and how long until every client was streaming.
 *
 * <p>One selector thread; per client a small state record and a 512-byte read buffer shared by all.
 * Hand-written rather than built on an HTTP client library, for the same reason as the load
 * generator: tens of thousands of connections in one process with a few hundred bytes each.
 *
 * <p>Responses are read by the project's one {@link SseResponseReader} (head, chunked body, SSE lines).
 */
public final class EventSourceSwarm {
    /** How a client's first attempt was answered. */
    public enum FirstAnswer { STREAM, BUSY_RETRY, NON_200, CONNECT_ERROR, PENDING }

    private static final long DEFAULT_RETRY_MILLIS = 3000;

    private final URI url;
    private final int clients;
    private final List<InetAddress> sources;
    private final PrintStream progress;
    /** Clients streaming now; selector thread only. */
    private int streamingNow;

    /**
     * One client's state; touched only by the selector thread. It reads each attempt's response
     * with the project's one {@link SseResponseReader} and keeps what an EventSource keeps across
     * attempts: the last {@code id:} (sent back as Last-Event-ID) and the last {@code retry:}.
     */
    private static final class Client implements SseResponseReader.Listener {
        /** Body lines kept: enough for id:, retry: and the gateway's first comment; longer lines are data. */
        private static final int MAX_LINE = 200;

        final int index;
        SocketChannel channel;
        FirstAnswer first = FirstAnswer.PENDING;
        boolean streaming;
        boolean closedForGood;
        long retryMillis = DEFAULT_RETRY_MILLIS;
        String lastEventId;
        /** The current attempt's response; a new one per attempt. */
        SseResponseReader response;

        Client(int index) {
            this.index = index;
        }

        /** A new attempt: nothing of the last response is kept but its id and retry. */
        void attempt() {
            response = new SseResponseReader(MAX_LINE);
            streaming = false;
        }

        @Override
        public void head(int status) {
            if (status != 200) {
                // A native EventSource fails the connection for good on any other status.
                answered(FirstAnswer.NON_200);
                closedForGood = true;
            }
        }

        @Override
        public void comment(String text) {
            // After a non-200 head the body is an error page, not a stream (its client has given up).
            if (!closedForGood && text.equals("sse-gateway")) {
                streaming = true;
                answered(FirstAnswer.STREAM);
            }
        }

        @Override
        public void field(String name, String value) {
            if (closedForGood) {
                return;
            }
            switch (name) {
                case "id" -> lastEventId = value;
                case "retry" -> {
                    if (!value.isEmpty() && value.length() < 10 && value.chars().allMatch(Character::isDigit)) {
                        retryMillis = Long.parseLong(value);
                    }
                }
                case "event" -> {
                    if (value.equals("server-busy")) {
                        answered(FirstAnswer.BUSY_RETRY);
                    }
                }
                default -> {
                    // data: and other fields do not matter to a reconnection
                }
            }
        }

        @Override
        public void blockEnd() {
        }

        void answered(FirstAnswer answer) {
            if (first == FirstAnswer.PENDING) {
                first = answer;
            }
        }
    }

    /** What the swarm saw. */
    public record Result(int clients, Map<FirstAnswer, Integer> firstAnswers, int closedForGood, int streaming,
                         long allStreamingMillis, int reconnects, int resumes) {
        public String summary() {
            return "clients " + clients + "; first attempts " + firstAnswers + "; closed for good (non-200) " + closedForGood
                + "; streaming " + streaming + "; all streaming after " + (allStreamingMillis < 0 ? "never" : allStreamingMillis + " ms")
                + "; reconnects " + reconnects + " (" + resumes + " with Last-Event-ID)";
        }
    }

    public EventSourceSwarm(URI url, int clients, List<InetAddress> sources, PrintStream progress) {
        this.url = url;
        this.clients = clients;
        this.sources = sources;
        this.progress = progress;
    }

    /**
     * Connects every client at once and runs until all stream (then for {@code holdMillis} more, or
     * until killed if it is negative) or {@code timeoutMillis} passed.
     */
    public Result run(long timeoutMillis, long holdMillis) throws IOException {
        long start = System.nanoTime();
        Selector selector = Selector.open();
        List<Client> all = new ArrayList<>(clients);
        PriorityQueue<long[]> reconnects = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 0; i < clients; i++) {
            Client c = new Client(i);
            all.add(c);
            connect(c, selector, reconnects);
        }
        ByteBuffer buffer = ByteBuffer.allocate(512);
        long allStreamingAt = -1;
        int reconnectCount = 0;
        int resumes = 0;
        long nextReport = System.nanoTime() + 1_000_000_000L;
        for (;;) {
            long now = System.nanoTime();
            if (streamingNow == clients && allStreamingAt < 0) {
                allStreamingAt = (now - start) / 1_000_000;
                progress.println("all " + clients + " streaming after " + allStreamingAt + " ms");
            }
            if (now >= nextReport) {
                progress.printf("%6.1f s: %d streaming%n", (now - start) / 1e9, streamingNow);
                nextReport += 1_000_000_000L;
            }
            if (now - start > timeoutMillis * 1_000_000L) {
                break;
            }
            if (allStreamingAt >= 0 && holdMillis >= 0 && (now - start) / 1_000_000 > allStreamingAt + holdMillis) {
                break;
            }
            while (!reconnects.isEmpty() && reconnects.peek()[0] <= now) {
                Client c = all.get((int) reconnects.poll()[1]);
                reconnectCount++;
                resumes += c.lastEventId != null ? 1 : 0;
                connect(c, selector, reconnects);
            }
            long waitMillis = reconnects.isEmpty() ? 100 : Math.max(1, (reconnects.peek()[0] - now) / 1_000_000);
            selector.select(Math.min(100, waitMillis));
            for (SelectionKey key : selector.selectedKeys()) {
                Client c = (Client) key.attachment();
                try {
                    if (key.isConnectable()) {
                        c.channel.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                        c.channel.write(ByteBuffer.wrap(request(c)));
                    } else if (key.isReadable()) {
                        buffer.clear();
                        int n = c.channel.read(buffer);
                        if (n < 0) {
                            ended(c, key, reconnects);
                        } else {
                            buffer.flip();
                            boolean was = c.streaming;
                            c.response.feed(buffer.array(), 0, buffer.limit(), c);
                            streamingNow += !was && c.streaming ? 1 : 0;
                            if (c.closedForGood) {
                                key.cancel();
                                c.channel.close();
                            }
                        }
                    }
                } catch (IOException e) {
                    c.answered(FirstAnswer.CONNECT_ERROR);
                    ended(c, key, reconnects);
                }
            }
            selector.selectedKeys().clear();
        }
        Map<FirstAnswer, Integer> firsts = new EnumMap<>(FirstAnswer.class);
        int closed = 0;
        for (Client c : all) {
            firsts.merge(c.first, 1, Integer::sum);
            closed += c.closedForGood ? 1 : 0;
            if (c.channel != null) {
                c.channel.close();
            }
        }
        selector.close();
        return new Result(clients, firsts, closed, streamingNow, allStreamingAt, reconnectCount, resumes);
    }

    /** Starts an attempt; a connect that fails at once counts as a network error and is retried later. */
    private void connect(Client c, Selector selector, PriorityQueue<long[]> reconnects) {
        try {
            open(c, selector);
        } catch (IOException e) {
            c.answered(FirstAnswer.CONNECT_ERROR);
            if (c.channel != null) {
                try {
                    c.channel.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
            reconnects.add(new long[] {System.nanoTime() + c.retryMillis * 1_000_000L, c.index});
        }
    }

    private void open(Client c, Selector selector) throws IOException {
        c.attempt();
        SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        if (!sources.isEmpty()) {
            ch.bind(new InetSocketAddress(sources.get(c.index % sources.size()), 0));
        }
        c.channel = ch;
        int port = url.getPort() > 0 ? url.getPort() : 80;
        if (ch.connect(new InetSocketAddress(url.getHost(), port))) {
            ch.register(selector, SelectionKey.OP_READ, c);
            ch.write(ByteBuffer.wrap(request(c)));
        } else {
            ch.register(selector, SelectionKey.OP_CONNECT, c);
        }
    }

    private byte[] request(Client c) {
        String path = url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        return ("GET " + path + " HTTP/1.1\r\nHost: " + url.getHost() + "\r\nAccept: text/event-stream\r\n"
            + "Cache-Control: no-cache\r\n" + (c.lastEventId == null ? "" : "Last-Event-ID: " + c.lastEventId + "\r\n")
            + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The connection ended: a client that is not CLOSED reconnects after its retry delay. */
    private void ended(Client c, SelectionKey key, PriorityQueue<long[]> reconnects) {
        key.cancel();
        try {
            c.channel.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (c.streaming) {
            c.streaming = false;
            streamingNow--;
        }
        if (!c.closedForGood) {
            reconnects.add(new long[] {System.nanoTime() + c.retryMillis * 1_000_000L, c.index});
        }
    }
}
