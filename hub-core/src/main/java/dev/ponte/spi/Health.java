package dev.ponte.spi;

/**
 * The state of the system behind a connector instance, as {@code /health} shows it: UP, DEGRADED (works, but an
 * admin must act soon: a certificate about to expire) or DOWN.
 *
 * @param up       whether the system answers as expected (a degraded one does)
 * @param detail   what was checked, or why it is down, fit for an admin (never a secret or personal data)
 * @param degraded whether it works only for now and names what to do (since 0.5); never with {@code up} false
 * @since 0.1 ({@code degraded}: 0.5)
 */
public record Health(boolean up, String detail, boolean degraded) {

    public Health {
        if (degraded && !up) {
            throw new IllegalArgumentException("a DOWN health cannot be degraded too");
        }
    }

    /** UP or DOWN. */
    public Health(boolean up, String detail) {
        this(up, detail, false);
    }

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    /** Works now, but an admin must act before it stops (since 0.5). */
    public static Health degraded(String detail) {
        return new Health(true, detail, true);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }

    /** UP, DEGRADED or DOWN. */
    public String state() {
        return !up ? "DOWN" : degraded ? "DEGRADED" : "UP";
    }

    @Override
    public String toString() {
        return state() + ": " + detail;
    }
}
