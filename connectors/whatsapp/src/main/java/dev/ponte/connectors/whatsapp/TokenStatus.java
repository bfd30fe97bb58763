package dev.ponte.connectors.whatsapp;

/**
 * Whether Meta rejected the instance's access token (code 190, or HTTP 401) on its last call with it: from then on
 * {@link WhatsAppInstance#health()} is DOWN with {@link #reason()}, until a later call with the token succeeds (a
 * message sent, a health probe answered). Thread safe.
 */
final class TokenStatus {

    private final String key;
    private volatile boolean rejected;

    /** @param fullKey the full name of the access-token option, for the admin */
    TokenStatus(String fullKey) {
        this.key = fullKey;
    }

    void rejected() {
        rejected = true;
    }

    void accepted() {
        rejected = false;
    }

    boolean isRejected() {
        return rejected;
    }

    /** What the admin reads on /health and in the dead letter. */
    String reason() {
        return "access token rejected (190): renew " + key;
    }
}
