package io.ssegateway.http;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Enumeration;

/**
 * Refuses any {@code Transfer-Encoding} other than one plain {@code chunked} with 400 and
 * {@code Connection: close}. A proxy in front that reads {@code gzip, chunked} or a repeated header
 * differently from the container could otherwise be made to see two requests where the gateway
 * sees one (request smuggling). The gateway accepts no transfer coding besides chunked anyway.
 */
public final class TransferEncodingFilter implements Filter {

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
        HttpServletRequest req = (HttpServletRequest) request;
        if (!isPlainChunkedOrAbsent(req.getHeaders("Transfer-Encoding"))) {
            HttpServletResponse resp = (HttpServletResponse) response;
            resp.setHeader("Connection", "close");
            JsonResponses.error(resp, HttpServletResponse.SC_BAD_REQUEST, "invalid-transfer-encoding",
                "only Transfer-Encoding: chunked is accepted");
            return;
        }
        chain.doFilter(request, response);
    }

    static boolean isPlainChunkedOrAbsent(Enumeration<String> values) {
        if (values == null || !values.hasMoreElements()) {
            return true;
        }
        int codings = 0;
        boolean chunked = false;
        while (values.hasMoreElements()) {
            for (String coding : values.nextElement().split(",", -1)) {
                codings++;
                chunked = coding.strip().equalsIgnoreCase("chunked");
            }
        }
        return codings == 1 && chunked;
    }
}
