package dev.ponte.spi;

/**
 * A remote system refused a command in a way no retry can fix (for example HTTP 400 invalid value, 404 for a
 * calendar that does not exist, 403 forbidden). The message is the dead letter's reason: say what was refused, by
 * whom and what the admin can do; never include a secret or personal data.
 *
 * @since 0.1
 */
public class PermanentDeliveryException extends Exception {

    public PermanentDeliveryException(String message) {
        super(message);
    }

    public PermanentDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
