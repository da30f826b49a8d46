package io.ssegateway.server;

import io.ssegateway.http.JsonResponses;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The embedded server's answer to requests Jetty refuses before any servlet sees them (a path
 * with a bad percent escape, a request head over {@code max-header-bytes}, an ambiguous path):
 * the gateway's JSON error, {@code {"error":"http-<status>","message":"<Jetty's reason>"}}, like
 * every other error, instead of Jetty's HTML page, whatever the client's {@code Accept}.
 */
final class JsonErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
        Callback callback) {
        // Jetty's handle() always gives a message: the reason, or the status's own text.
        byte[] body = JsonResponses.statusErrorBody(code, message).toString().getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
