package io.ssegateway.stream;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream's output in any Servlet 6 container: an {@link AsyncContext} without timeout, its
 * {@link ServletOutputStream} in non-blocking mode, and the container's {@link AsyncListener}
 * callbacks (complete, timeout, error) as the client's departure and the response's end.
 */
final class ServletStreamOutput extends AbstractStreamOutput implements AsyncListener, WriteListener {
    private final AsyncContext async;
    private final HttpServletResponse response;
    private final ServletOutputStream out;
    /** Set once by {@link #start}, before the container may call back. */
    private Pump pump;

    private ServletStreamOutput(AsyncContext async, HttpServletResponse response) throws IOException {
        this.async = async;
        this.response = response;
        this.out = response.getOutputStream();
    }

    /** Starts async processing of {@code req}, without timeout, and listens to it. */
    static ServletStreamOutput start(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        ServletStreamOutput output = new ServletStreamOutput(async, resp);
        async.addListener(output);
        return output;
    }

    @Override
    public void setHeader(String name, String value) {
        response.setHeader(name, value);
    }

    @Override
    public boolean isCommitted() {
        return response.isCommitted();
    }

    @Override
    public void start(Pump pump) {
        this.pump = pump;
        out.setWriteListener(this);
    }

    @Override
    public boolean isReady() {
        return out.isReady();
    }

    @Override
    public boolean write(ByteBuffer chunk) throws IOException {
        out.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        return true;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void complete(ByteBuffer last) {
        if (last != null) {
            try {
                write(last);
            } catch (IOException | RuntimeException clientGone) {
                // Nothing more to tell it.
            }
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // The container completed it first (client gone); nothing left to do.
        }
    }

    @Override
    public void execute(Runnable task) {
        async.start(task);
    }

    // ---- the container's callbacks ----

    @Override
    public void onWritePossible() {
        pump.onWritePossible();
    }

    @Override
    public void onError(Throwable t) {
        pump.onError(t);
    }

    @Override
    public void onComplete(AsyncEvent event) {
        ended();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        ended();
    }

    @Override
    public void onError(AsyncEvent event) {
        ended();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // Streams are not re-dispatched.
    }

    private void ended() {
        fireFinished();
        fireGone();
    }
}
