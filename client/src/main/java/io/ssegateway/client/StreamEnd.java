package io.ssegateway.client;

/**
 * Why a subscription ended for good: the application closed it, or the gateway refused it in a way
 * retrying would not change (a 4xx such as {@code 403 topic-forbidden}, an answer that is not an
 * event stream; not {@code 401 token-expired}, after which the token source's next token is tried). Passing failures (a node restarting, a busy node, a lost connection) never end a
 * subscription: it reconnects and resumes.
 *
 * @param status  the HTTP status of the refusal; 0 when the application closed the stream
 * @param error   the gateway's error code ({@code topic-forbidden}, …) or {@code closed}
 * @param message the gateway's message, or a description
 */
public record StreamEnd(int status, String error, String message) {
    static final StreamEnd CLOSED = new StreamEnd(0, "closed", "closed by the application");

    /** True when {@link EventStream#close()} ended the subscription, not the gateway. */
    public boolean closedByApplication() {
        return status == 0;
    }
}
