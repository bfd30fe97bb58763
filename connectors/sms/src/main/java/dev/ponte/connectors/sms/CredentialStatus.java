package dev.ponte.connectors.sms;

/**
 * Whether the provider refused the instance's credentials on its last call with them (Twilio's 401/20003, Zenvia's
 * 401/403): from then on the instance's health is DOWN with {@link #reason()}, until a later call with them succeeds
 * (a message sent, a health probe answered). A refused credential is a configuration problem, not the patient's: the
 * sends fail as retriable, so that the messages stay on this channel until the admin fixes the key. Thread safe.
 */
final class CredentialStatus {

    private final String reason;
    private volatile boolean rejected;

    /** @param reason what the admin reads on /health and in the retry message: what was refused, which keys to fix */
    CredentialStatus(String reason) {
        this.reason = reason;
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

    String reason() {
        return reason;
    }
}
