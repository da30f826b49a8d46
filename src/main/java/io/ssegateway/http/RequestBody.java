package io.ssegateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A request body read as both doors' publications need it: at most a limit of bytes, then strict
 * UTF-8.
 *
 * <p>A body over the limit is refused with 413, and the connection closes after the answer
 * ({@link KeepAliveGuard}). If the server closed while the client was still sending, the client's
 * kernel would get a reset that can destroy the 413 before the client reads it (curl then prints
 * "Connection reset by peer", the JDK client "header parser received no bytes"). So a body that was
 * sent anyway and is at most {@link #DRAIN_CAP} bytes is read to its end and discarded before the
 * refusal; a larger one, or one the client holds back for {@code 100 Continue}, is not waited for.
 */
public final class RequestBody {
    /** The most of a refused body read and discarded so that the 413 reaches its client. */
    public static final long DRAIN_CAP = 1 << 20;

    /** The body is larger than the limit: answer 413 with this message. */
    public static final class TooLarge extends Exception {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    private RequestBody() {
    }

    /** The body, or {@link TooLarge} if it has more than {@code max} bytes (declared or sent). */
    public static byte[] read(HttpServletRequest req, int max) throws IOException, TooLarge {
        long declared = req.getContentLengthLong();
        if (declared > max) {
            drainIfSent(req, declared);
            throw new TooLarge("body of " + declared + " bytes exceeds the limit of " + max + " bytes");
        }
        InputStream in = req.getInputStream();
        byte[] body = in.readNBytes(max + 1);
        if (body.length > max) {
            discard(in, DRAIN_CAP);
            throw new TooLarge("body exceeds the limit of " + max + " bytes");
        }
        return body;
    }

    /** {@code body} as strict UTF-8: malformed input is an error, never a replacement character. */
    public static String utf8(byte[] body) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    }

    private static void drainIfSent(HttpServletRequest req, long declared) throws IOException {
        if (declared <= DRAIN_CAP && !"100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            discard(req.getInputStream(), declared);
        }
    }

    private static void discard(InputStream in, long atMost) throws IOException {
        byte[] sink = new byte[8192];
        for (long left = atMost; left > 0; ) {
            int n = in.read(sink, 0, (int) Math.min(sink.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }
}
