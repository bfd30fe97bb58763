package dev.ponte.connectors.email;

/**
 * Whether the SMTP server refused the instance's credentials (535, or a failed AUTH) on its last connection with
 * them: from then on {@link EmailInstance#health()} is DOWN with {@link #reason()}, until a later connection
 * authenticates (a message sent, a health check passed). A refused login is a configuration problem of the clinic,
 * not of the patient's address: the sink retries it on this channel instead of moving the patient to another one.
 * Thread safe.
 */
final class AuthStatus {

    private final String usernameKey;
    private final String passwordKey;
    private volatile boolean rejected;

    /** @param usernameKey the full name of the username option; @param passwordKey of the password option */
    AuthStatus(String usernameKey, String passwordKey) {
        this.usernameKey = usernameKey;
        this.passwordKey = passwordKey;
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

    /** What the admin reads on /health and in the retried delivery's message. */
    String reason() {
        return "the SMTP server refused the login (535 authentication failed): check " + usernameKey + " and "
                + passwordKey + " (an app password where the provider requires one)";
    }
}
