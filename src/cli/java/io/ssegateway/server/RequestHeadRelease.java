package io.ssegateway.server;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.HTTP2Stream;

/**
 * Lets go of the request head that Jetty's {@link HTTP2Stream} keeps for as long as the stream
 * lives: the decoded method, URI and header fields of the request that opened it.
 *
 * <p>Why: a held stream lives for hours, and its request head is read once, when its first HEADERS
 * frame arrives. Live heap per held stream, class histograms after full collections
 * (docs/performance.md, "The request head"): 1,000,000 h2load streams 1,510 B with the head and
 * 1,189 B without; 100,000 streams carrying what a proxy forwards from browsers (each its own
 * cookie, referer and client address, which HPACK cannot share between streams) 1,945 B and 1,201 B.
 *
 * <p>How it is safe: Jetty 12.1 reads the field in two places, both checked against its bytecode:
 * {@code HTTP2Stream.onHeaders} for the stream's first HEADERS frame (which has run by the time a
 * stream is held), and {@code toString}. A later HEADERS frame that carries a request or a response
 * head fails the connection in {@code HTTP2ServerSession.onHeaders} before it reaches the stream;
 * trailers reach it, but that path does not read the field. {@code HeldStreamHeapTest} counts the
 * request heads of held streams and fails if a Jetty upgrade renames the field.
 *
 * <p>The field is final and private, so it is set through reflection. JDK 26 allows that with a
 * warning on standard error at the first release (JEP 500), unless the JVM is started with
 * {@code --enable-final-field-mutation=ALL-UNNAMED}: the profile file cannot carry that flag (older
 * JDKs refuse it), and the launcher does not add it yet (it was not tried on a JDK 26). A later JDK
 * will refuse the mutation; streams then keep their heads, as they did before this class, and the
 * refusal is logged once.
 */
final class RequestHeadRelease {
    private static final System.Logger LOG = System.getLogger(RequestHeadRelease.class.getName());
    private static final String FIELD = "request";
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    /** Jetty's field, accessible; null once this JVM or Jetty refused. */
    private static volatile Field field = find();

    private RequestHeadRelease() {
    }

    /** Drops {@code stream}'s request head, unless this JVM or Jetty does not allow it. */
    static void release(HTTP2Stream stream) {
        Field f = field;
        if (f == null) {
            return;
        }
        try {
            f.set(stream, null);
        } catch (IllegalAccessException | RuntimeException refused) {
            giveUp(refused);
        }
    }

    private static Field find() {
        try {
            Field f = HTTP2Stream.class.getDeclaredField(FIELD);
            if (f.getType() != MetaData.Request.class) {
                throw new NoSuchFieldException(FIELD + " is a " + f.getType().getName());
            }
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException | RuntimeException unavailable) {
            giveUp(unavailable);
            return null;
        }
    }

    private static void giveUp(Exception why) {
        field = null;
        if (!WARNED.compareAndSet(false, true)) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "held HTTP/2 streams keep their request heads (a few hundred bytes of heap each): "
            + "Jetty's HTTP2Stream." + FIELD + " cannot be released here: " + why);
    }
}
