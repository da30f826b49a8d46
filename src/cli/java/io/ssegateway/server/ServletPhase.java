package io.ssegateway.server;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * One request while the servlet layer handles it: the request, response and callback the servlet
 * context sees. A request that is not handed over passes through unchanged. One that is
 * ({@link #detach}, from inside the servlet) keeps its Jetty request, response and callback for its
 * {@link CoreStreamOutput}, and the servlet layer's hold on it is cut:
 * <ul>
 *   <li>the servlet layer's completion listener (which keeps its channel, and with it every servlet
 *       object of the request, until the response ends) is kept here and registered with Jetty only
 *       for a request that is not handed over, when its servlet phase ends;</li>
 *   <li>its idle-timeout and failure listeners reach it through a {@link Relay} that is cut at the
 *       hand-over, so Jetty keeps only the relay;</li>
 *   <li>the response's end that the servlet layer writes when the servlet returns is dropped, and
 *       the servlet layer's callback ends the phase instead of the request.</li>
 * </ul>
 */
final class ServletPhase extends Request.Wrapper implements Callback {
    private final Response response;
    private final Callback callback;
    private final Gate gate;
    /** Guarded by this: the servlet layer's stream wrappers, registered when a phase not handed over ends. */
    private final List<Function<HttpStream, HttpStream>> streamWrappers = new ArrayList<>(1);
    /** Guarded by this: the relays to cut at the hand-over. */
    private final List<Relay> relays = new ArrayList<>(1);
    /** The stream's output once the servlet handed the request over; null until then. */
    private volatile CoreStreamOutput detached;

    ServletPhase(Request request, Response response, Callback callback) {
        super(request);
        this.response = response;
        this.callback = callback;
        this.gate = new Gate(this, response);
    }

    /** The response the servlet layer writes to. */
    Response response() {
        return gate;
    }

    /**
     * Hands the request over to a stream, from inside the servlet, whose status and headers are set
     * and which has written nothing. The stream writes once the servlet phase ended.
     */
    CoreStreamOutput detach() {
        CoreStreamOutput output = new CoreStreamOutput(getWrapped(), response, callback);
        List<Relay> cut;
        synchronized (this) {
            if (detached != null) {
                throw new IllegalStateException("handed over already");
            }
            detached = output;
            cut = List.copyOf(relays);
            relays.clear();
            streamWrappers.clear();
        }
        cut.forEach(Relay::cut);
        return output;
    }

    @Override
    public void addHttpStreamWrapper(Function<HttpStream, HttpStream> wrapper) {
        synchronized (this) {
            if (detached == null) {
                streamWrappers.add(wrapper);
            }
        }
    }

    @Override
    public void addIdleTimeoutListener(Predicate<TimeoutException> onIdleTimeout) {
        Relay relay = new Relay(onIdleTimeout, null);
        if (keep(relay)) {
            super.addIdleTimeoutListener(relay);
        }
    }

    @Override
    public void addFailureListener(Consumer<Throwable> onFailure) {
        Relay relay = new Relay(null, onFailure);
        if (keep(relay)) {
            super.addFailureListener(relay);
        }
    }

    private synchronized boolean keep(Relay relay) {
        if (detached != null) {
            return false;
        }
        relays.add(relay);
        return true;
    }

    // ---- the servlet layer's callback: the end of the servlet phase ----

    @Override
    public void succeeded() {
        CoreStreamOutput output = detached;
        if (output != null) {
            output.servletPhaseEnded(null);
        } else {
            registerStreamWrappers();
            callback.succeeded();
        }
    }

    @Override
    public void failed(Throwable failure) {
        CoreStreamOutput output = detached;
        if (output != null) {
            output.servletPhaseEnded(failure);
        } else {
            registerStreamWrappers();
            callback.failed(failure);
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return callback.getInvocationType();
    }

    private void registerStreamWrappers() {
        List<Function<HttpStream, HttpStream>> wrappers;
        synchronized (this) {
            wrappers = List.copyOf(streamWrappers);
            streamWrappers.clear();
        }
        wrappers.forEach(super::addHttpStreamWrapper);
    }

    /** The response as the servlet layer sees it: after the hand-over, its writes end nothing. */
    private static final class Gate extends Response.Wrapper {
        private final ServletPhase phase;

        Gate(ServletPhase phase, Response response) {
            super(phase, response);
            this.phase = phase;
        }

        @Override
        public void write(boolean last, ByteBuffer content, Callback callback) {
            if (phase.detached == null) {
                super.write(last, content, callback);
            } else if (content != null && content.hasRemaining()) {
                callback.failed(new IllegalStateException("the servlet wrote to a response a stream took over"));
            } else {
                callback.succeeded(); // the servlet layer's end of the response: the stream's is its own
            }
        }
    }

    /** A listener of the servlet layer's, reached while the request is the servlet's. */
    private static final class Relay implements Predicate<TimeoutException>, Consumer<Throwable> {
        private volatile Predicate<TimeoutException> onIdleTimeout;
        private volatile Consumer<Throwable> onFailure;

        Relay(Predicate<TimeoutException> onIdleTimeout, Consumer<Throwable> onFailure) {
            this.onIdleTimeout = onIdleTimeout;
            this.onFailure = onFailure;
        }

        void cut() {
            onIdleTimeout = null;
            onFailure = null;
        }

        @Override
        public boolean test(TimeoutException timeout) {
            Predicate<TimeoutException> listener = onIdleTimeout;
            // Cut: as if no listener were there, the timeout is a failure (Jetty's default).
            return listener == null || listener.test(timeout);
        }

        @Override
        public void accept(Throwable failure) {
            Consumer<Throwable> listener = onFailure;
            if (listener != null) {
                listener.accept(failure);
            }
        }
    }
}
