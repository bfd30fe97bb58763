package dev.ponte.spi;

/**
 * Whether the remote refused an instance's credentials (an access token, a password, an API token) on its last call
 * with them: from then on the instance's {@link ConnectorInstance#health()} is DOWN with {@link #reason()}, until a
 * later call with them succeeds (a message sent, a health probe answered). Thread safe.
 *
 * @since 0.4
 */
public final class CredentialStatus {

    private final String reason;
    private volatile boolean rejected;

    /**
     * @param reason what the admin reads on /health and in the failure's message: what was refused and which keys to
     *               fix ({@link ConnectorConfig#fullKey}); never a value
     */
    public CredentialStatus(String reason) {
        this.reason = reason;
    }

    /** The remote refused the credentials. */
    public void rejected() {
        rejected = true;
    }

    /** A call with the credentials succeeded. */
    public void accepted() {
        rejected = false;
    }

    public boolean isRejected() {
        return rejected;
    }

    public String reason() {
        return reason;
    }
}
