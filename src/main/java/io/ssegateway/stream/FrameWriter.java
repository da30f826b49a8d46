package io.ssegateway.stream;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * How a chunk of frames goes to the container's output stream. Called only by the thread that
 * owns the pump, and only after {@code isReady()} returned true.
 *
 * <p>The portable writer uses {@code write(byte[])} and asks for a flush; the embedded Jetty
 * server supplies one that writes the {@link ByteBuffer} directly, bypassing the response's
 * aggregation buffer (which Jetty would otherwise keep, 32 KB, for the life of every stream).
 */
@FunctionalInterface
public interface FrameWriter {
    /**
     * Starts writing {@code chunk} (a heap buffer).
     *
     * @return true if the output must be flushed, after {@code isReady()}, before the next write
     */
    boolean write(ServletOutputStream out, ByteBuffer chunk) throws IOException;

    /** Works in every Servlet 6 container. */
    FrameWriter PORTABLE = (out, chunk) -> {
        out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        return true;
    };
}
