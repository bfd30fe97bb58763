package dev.ponte.store;

/** The store failed (database unreachable, disk full, constraint broken); the message names the database. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
