package dev.ponte.source;

/** A whole source (file, table) cannot be read; the message names it and says what to check. */
public final class SourceException extends dev.ponte.spi.SourceReadException {
    public SourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceException(String message) {
        super(message);
    }
}
