package dev.ponte.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.util.Locale;

/**
 * The store a test runs against: the embedded H2 it names (the default), or a fresh, empty schema on a real
 * PostgreSQL server ({@link LocalPostgres}) when the system property {@value #KIND_PROPERTY} is {@code postgresql}.
 * The store tests of each module run twice, once per kind (a surefire execution each, see the modules' poms), so
 * that every migration and every statement is exercised on both engines.
 */
public final class TestStores {

    /** {@code h2} (default) or {@code postgresql}. */
    public static final String KIND_PROPERTY = "ponte.test.store";

    /**
     * When {@code true} (the README's test command, {@code -Pall-tests}, as on CI), a PostgreSQL test fails instead of
     * being skipped when no PostgreSQL server can be started.
     */
    public static final String REQUIRED_PROPERTY = "ponte.test.postgresql.required";

    /** The engines a test can run against. */
    public enum Kind { H2, POSTGRESQL }

    /** Where to connect: the same target opened again is the same database (a reopen, a second hub). */
    public record Target(Kind kind, String url, String user, String password) {
        public <T> T open(Opener<T> opener) {
            return opener.open(url, user, password);
        }
    }

    /** Opens a store at a target: {@code Database::open}. */
    @FunctionalInterface
    public interface Opener<T> {
        T open(String url, String user, String password);
    }

    private TestStores() {
    }

    /** The kind this test JVM runs against, from {@value #KIND_PROPERTY}. */
    public static Kind kind() {
        String v = System.getProperty(KIND_PROPERTY, "h2").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "", "h2" -> Kind.H2;
            case "postgresql", "postgres", "pg" -> Kind.POSTGRESQL;
            default -> throw new IllegalArgumentException(KIND_PROPERTY + "=" + v + ": use h2 or postgresql");
        };
    }

    /** Whether this JVM's store tests run on PostgreSQL. */
    public static boolean onPostgres() {
        return kind() == Kind.POSTGRESQL;
    }

    /**
     * The target for one test: the given embedded H2 URL, or a new empty schema on the PostgreSQL server. A
     * PostgreSQL run where no server can be started is skipped with the reason (failed when
     * {@value #REQUIRED_PROPERTY} is true).
     */
    public static Target target(String h2Url) {
        if (kind() == Kind.H2) {
            return new Target(Kind.H2, h2Url, null, null);
        }
        LocalPostgres pg = postgres();
        return new Target(Kind.POSTGRESQL, pg.freshSchema(), pg.user(), pg.password());
    }

    /** {@code open(target(h2Url))}: {@code db = TestStores.open(Database.embeddedUrl(dir), Database::open)}. */
    public static <T> T open(String h2Url, Opener<T> opener) {
        return target(h2Url).open(opener);
    }

    /**
     * The PostgreSQL server of this JVM, started on first use. A test skips (or fails, when required) with the reason
     * when none can be started.
     */
    public static LocalPostgres postgres() {
        try {
            return LocalPostgres.shared();
        } catch (LocalPostgres.Unavailable e) {
            if (Boolean.getBoolean(REQUIRED_PROPERTY)) {
                throw new IllegalStateException("PostgreSQL tests are required here (" + REQUIRED_PROPERTY
                        + "=true) but " + e.getMessage(), e);
            }
            Assumptions.abort("PostgreSQL test skipped: " + e.getMessage());
            throw e; // not reached
        }
    }
}
