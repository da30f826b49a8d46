package io.ssegateway.http;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the gateway's JSON answers. Every error has the documented shape
 * {@code {"error":"<code>","message":"<text>"}}.
 */
public final class JsonResponses {
    /** Found once: {@code Json.createObjectBuilder()} searches the class path on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();
    private JsonResponses() {
    }

    /** Sends an error; does nothing if the response is already committed (a stream already started). */
    public static void error(HttpServletResponse response, int status, String code, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        send(response, status, errorBody(code, message));
    }

    /** The body of every error: {@code {"error":"<code>","message":"<text>"}}. */
    public static JsonObject errorBody(String code, String message) {
        return JSON.createObjectBuilder().add("error", code).add("message", message).build();
    }

    /**
     * The body of an error the container raised with only a status and perhaps a reason (its own
     * servlets' {@code sendError}, or what the server refuses before any servlet):
     * {@code http-<status>}, with the reason, sanitized, or a sentence naming the status.
     */
    public static JsonObject statusErrorBody(int status, String reason) {
        return errorBody("http-" + status, reason == null ? "the request was refused with " + status : sanitize(reason));
    }

    /**
     * A 503 that tells the client when to come back, and closes the connection: a refused client
     * must not keep a connection slot (and a file descriptor) while it waits to retry.
     */
    public static void unavailable(HttpServletResponse response, int retryAfterSeconds, String code, String message)
        throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        response.setHeader("Connection", "close");
        error(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, code, message);
    }

    /** A 405 with the {@code Allow} header. */
    public static void methodNotAllowed(HttpServletResponse response, String method, String allow) throws IOException {
        response.setHeader("Allow", allow);
        error(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED, "method-not-allowed",
            "method " + sanitize(method) + " is not allowed here; use " + allow);
    }

    public static void send(HttpServletResponse response, int status, JsonObject body) throws IOException {
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** Keeps client-supplied text in messages printable and short. */
    public static String sanitize(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(text.length(), 64));
        for (int i = 0; i < text.length() && sb.length() < 64; i++) {
            char c = text.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
