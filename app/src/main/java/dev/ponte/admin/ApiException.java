package dev.ponte.admin;

/** An answer other than success, with the status and a message for the caller (no secret, no personal data). */
public final class ApiException extends RuntimeException {

    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
