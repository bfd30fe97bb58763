package dev.ponte.spi;

/**
 * A whole source (file, table) cannot be read: empty, no header, I/O error, no mapping for it. The message names the
 * source and says what to check, never the content (it may hold personal data). Thrown by the hub's readers
 * ({@link Mappings#read}) and by connectors.
 *
 * @since 0.2
 */
public class SourceReadException extends RuntimeException {

    public SourceReadException(String message, Throwable cause) {
        super(message, cause);
    }

    public SourceReadException(String message) {
        super(message);
    }
}
