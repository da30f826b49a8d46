package io.ssegateway.auth;

/** A refused request: the HTTP status (401 or 403), the documented error code and a reason. */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String code;

    public AuthException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
