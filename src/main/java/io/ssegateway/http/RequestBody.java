package io.ssegateway.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A request body read as both doors' publications need it: at most a limit of bytes, without
 * holding a thread while it arrives, then strict UTF-8.
 *
 * <p>Why not a blocking read: the embedded server has about as many request threads as cores
 * (three on two cores). A publisher that sends its body slowly, or a client that never finishes
 * one (the Mercure door reads its form before it can check the token's topics), would hold one
 * each, and three of them would stop the node from admitting any stream. Here the body arrives
 * through a {@link ReadListener}: it costs its connection and the bytes received so far, and it
 * must be complete within {@link #DEADLINE} (then 408). A body that came whole with the request's
 * head, as a small publish does, is read at once.
 *
 * <p>A body over the limit is refused with 413, and the connection closes after the answer
 * ({@link KeepAliveGuard}). If the server closed while the client was still sending, the client's
 * kernel would get a reset that can destroy the 413 before the client reads it (curl then prints
 * "Connection reset by peer", the JDK client "header parser received no bytes"). So a body that is
 * sent anyway is read and discarded up to {@link #DRAIN_CAP} bytes before the refusal; beyond that,
 * or when the client holds it back for {@code 100 Continue}, it is not waited for.
 *
 * <p>What it has buffered counts against the node's {@link RequestBodies} ceiling until it is answered.
 */
public final class RequestBody implements ReadListener, AsyncListener {
    /** The most of a refused body read and discarded so that the 413 reaches its client. */
    public static final long DRAIN_CAP = 1 << 20;

    /** Time from the request's arrival to the body's end; a legitimate body takes well under a second. */
    public static final Duration DEADLINE = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(RequestBody.class.getName());

    /** The buffer a body starts with; it doubles as bytes arrive, so it is at most twice what was received. */
    private static final int INITIAL_CAPACITY = 8192;

    /**
     * What a request does with its body. Runs on a container thread, once, with the response still
     * unwritten; the request ends (its {@link AsyncContext} completes) when the method returns.
     */
    public interface Receiver {
        /** The whole body, at most the limit. */
        void received(byte[] body) throws IOException;

        /** No body to act on: answer {@code status} (413 too large, 408 too slow, 503 node's ceiling) with this code and message. */
        void refused(int status, String code, String message) throws IOException;
    }

    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletInputStream in;
    private final int max;
    private final RequestBodies budget;
    private final Receiver receiver;
    private final ByteArrayOutputStream body;
    private final byte[] chunk = new byte[8192];
    /** Bytes read past the limit, discarded. */
    private long discarded;
    /** Set once, by whichever of the end, the refusal, the deadline or a read error comes first. */
    private boolean answered;

    private RequestBody(AsyncContext async, HttpServletResponse response, ServletInputStream in, int max, long declared,
                        RequestBodies budget, Receiver receiver) {
        this.async = async;
        this.response = response;
        this.in = in;
        this.max = max;
        this.budget = budget;
        this.receiver = receiver;
        // Grown as bytes arrive, not sized by the declared length: a client that declares 64 KB and
        // sends one byte must not hold 64 KB, which the node's ceiling (bytes received) would not count.
        this.body = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), INITIAL_CAPACITY));
    }

    /**
     * Reads {@code req}'s body of at most {@code max} bytes, counted against {@code budget}, and hands
     * it to {@code receiver}, or refuses it. A body the container already holds whole is handed over
     * before this returns; otherwise it returns at once and the request goes asynchronous.
     * {@code resp} is what the receiver answers on; a receiver that fails unexpectedly gets a JSON
     * 500 there.
     */
    static void read(HttpServletRequest req, HttpServletResponse resp, int max, RequestBodies budget, Receiver receiver)
        throws IOException {
        long declared = req.getContentLengthLong();
        if (declared >= 0 && declared <= max && req.getInputStream().available() >= declared) {
            // The whole body came with the head (a small publish in one packet, the common case):
            // reading it cannot block, so the request need not go asynchronous (which costs a publish
            // about a tenth more CPU: docs/performance.md, "Health checks during a storm").
            receiver.received(req.getInputStream().readNBytes((int) declared));
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(DEADLINE.toMillis());
        RequestBody reader = new RequestBody(async, resp, req.getInputStream(), max, declared, budget, receiver);
        async.addListener(reader);
        if (declared > max && (declared > DRAIN_CAP || "100-continue".equalsIgnoreCase(req.getHeader("Expect")))) {
            reader.refuseTooLarge("body of " + declared + " bytes exceeds the limit of " + max + " bytes");
            return;
        }
        reader.in.setReadListener(reader);
    }

    /** {@code body} as strict UTF-8: malformed input is an error, never a replacement character. */
    public static String utf8(byte[] body) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (in.isReady()) {
            int n = in.read(chunk);
            if (n < 0) {
                return; // onAllDataRead follows
            }
            if (discarded == 0 && body.size() + n <= max) {
                if (!keep(n)) {
                    refuse(503, "publish-bodies-full", "the node is receiving " + budget.ceiling()
                        + " bytes of unfinished publish bodies, its most; retry shortly");
                    return;
                }
                continue;
            }
            discarded += n;
            if (discarded > DRAIN_CAP) {
                refuseTooLarge("body exceeds the limit of " + max + " bytes");
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() throws IOException {
        if (discarded > 0) {
            refuseTooLarge("body exceeds the limit of " + max + " bytes");
            return;
        }
        if (claimAnswer()) {
            answer(() -> receiver.received(body.toByteArray()));
        }
    }

    /** A read failed: the client left or reset the stream. Nobody is there to answer. */
    @Override
    public void onError(Throwable t) {
        if (claimAnswer()) {
            LOG.log(Level.DEBUG, "request body not read: {0}", t.toString());
            async.complete();
        }
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
        refuse(408, "body-timeout", "the request body did not arrive within " + DEADLINE.toSeconds() + " s");
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    private void refuseTooLarge(String message) throws IOException {
        refuse(413, "body-too-large", message);
    }

    private void refuse(int status, String code, String message) throws IOException {
        if (claimAnswer()) {
            answer(() -> receiver.refused(status, code, message));
        }
    }

    /**
     * Keeps the chunk's first {@code n} bytes if the node's ceiling allows; false if not. Once the
     * request is answered (the deadline can come while a read callback runs) nothing more is kept,
     * so what the budget counts is exactly what {@link #claimAnswer} gives back.
     */
    private synchronized boolean keep(int n) {
        if (answered) {
            return true;
        }
        if (!budget.take(n)) {
            return false;
        }
        body.write(chunk, 0, n);
        return true;
    }

    /** True for the first caller only; the bytes buffered so far stop counting against the budget then. */
    private synchronized boolean claimAnswer() {
        if (answered) {
            return false;
        }
        answered = true;
        budget.give(body.size());
        return true;
    }

    /**
     * Runs the receiver's answer, then ends the request whatever it did. A bug in it must not end
     * as an empty 200 (what completing an unanswered response sends): it gets the 500 the
     * container gives a servlet that throws.
     */
    private void answer(Answer what) throws IOException {
        try {
            what.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "a request failed after its body was read", e);
            if (!response.isCommitted()) {
                response.reset();
                JsonResponses.send(response, 500, JsonResponses.statusErrorBody(500, "internal error"));
            }
        } finally {
            async.complete();
        }
    }

    private interface Answer {
        void run() throws IOException;
    }
}
