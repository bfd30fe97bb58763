package dev.ponte.spi;

/**
 * The state of the system behind a connector instance, as {@code /health} shows it.
 *
 * @param up     whether the system answers as expected
 * @param detail what was checked, or why it is down, fit for an admin (never a secret or personal data)
 * @since 0.1
 */
public record Health(boolean up, String detail) {

    public static Health up(String detail) {
        return new Health(true, detail);
    }

    public static Health down(String detail) {
        return new Health(false, detail);
    }

    @Override
    public String toString() {
        return (up ? "UP" : "DOWN") + ": " + detail;
    }
}
