package io.ssegateway.client;

/**
 * A publication that failed: refused by the gateway ({@code status} 4xx, never retried), or still
 * failing after the last attempt ({@code status} 5xx, or 0 when no answer came).
 */
public final class GatewayException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String error;
    private final String idempotencyKey;

    /**
     * @param status         the HTTP status, or 0 when no answer came
     * @param error          the gateway's error code
     * @param idempotencyKey the key the call sent, or null
     */
    public GatewayException(int status, String error, String message, String idempotencyKey, Throwable cause) {
        super(status == 0 ? error + ": " + message : status + " " + error + ": " + message, cause);
        this.status = status;
        this.error = error;
        this.idempotencyKey = idempotencyKey;
    }

    /** The HTTP status, or 0 when no answer came (connection failed, timed out, interrupted). */
    public int status() {
        return status;
    }

    /**
     * The gateway's error code ({@code publish-forbidden}, {@code broker-outcome-unknown}, …), or
     * {@code connection-failed}, {@code interrupted}, {@code unexpected-answer}.
     */
    public String error() {
        return error;
    }

    /** The {@code Idempotency-Key} every attempt of the call sent. */
    public String idempotencyKey() {
        return idempotencyKey;
    }

    /**
     * True when the event may have been stored although the call failed ({@code broker-outcome-unknown},
     * or no answer came): publish it again with {@link Publication#idempotencyKey(String)} set to
     * {@link #idempotencyKey()} and it is delivered once.
     */
    public boolean mayHaveBeenStored() {
        return status == 0 || "broker-outcome-unknown".equals(error);
    }
}
