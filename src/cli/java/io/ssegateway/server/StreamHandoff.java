package io.ssegateway.server;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Lets an admitted stream leave the servlet layer: the handler in front of the servlet context
 * through which every request passes in a {@link ServletPhase}. Admission, filters (CORS, methods,
 * JSON errors) and headers stay servlet code, shared with the WAR; once the servlet hands a stream
 * over ({@link JettyStreamOutputs}), the servlet request completes and its objects become garbage,
 * while the stream goes on writing through Jetty's core API ({@link CoreStreamOutput}).
 *
 * <p>Why: the servlet layer's objects for a request held open by {@code startAsync} (request,
 * response, channel and state, async event, input and output, their locks) are about 1,700 B of
 * each stream's heap, 40% of it, and its write path costs about 2 µs of each delivery
 * ({@code docs/scripts/jetty-floor.py}, docs/performance.md).
 */
final class StreamHandoff extends Handler.Wrapper {
    StreamHandoff(Handler handler) {
        super(handler);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        ServletPhase phase = new ServletPhase(request, response, callback);
        return super.handle(phase, phase.response(), phase);
    }
}
