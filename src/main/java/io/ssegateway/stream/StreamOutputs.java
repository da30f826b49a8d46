package io.ssegateway.stream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** How an admitted stream gets its {@link StreamOutput} from the container. */
@FunctionalInterface
public interface StreamOutputs {
    /**
     * Takes over {@code resp} for a stream, whose status and headers are set: from now on the
     * stream owns it through the output, and the servlet returns without writing.
     */
    StreamOutput open(HttpServletRequest req, HttpServletResponse resp) throws IOException;

    /** Works in every Servlet 6 container: an {@code AsyncContext} without timeout. */
    StreamOutputs PORTABLE = (req, resp) -> ServletStreamOutput.start(req, resp);
}
