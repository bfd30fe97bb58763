package dev.ponte.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starting a real hub (embedded Artemis and H2 in a temporary data directory) for integration tests. */
public final class HubTestSupport {

    /** The repository root (set by Maven as ponte.home). */
    public static final Path HOME = Path.of(System.getProperty("ponte.home", "..")).toAbsolutePath().normalize();
    public static final Path DEMO_EXPORT = HOME.resolve("examples/legacy-clinic");
    public static final Path LEGACY_MAPPINGS = HOME.resolve("mappings/legacy-clinic");
    /** The packaged hub (mvn package runs before the ITs), for tests that run it in a child JVM. */
    public static final Path JAR = HOME.resolve("app/target/ponte.jar");

    private HubTestSupport() {
    }

    /** Settings for a test hub: fast redelivery, fast inbox polling, a free HTTP port. */
    public static HubSettings settings(Path dataDir, Map<String, String> overrides) {
        useTestStore(dataDir);
        Map<String, String> o = new HashMap<>();
        o.put("ponte.http.port", String.valueOf(freePort()));
        o.put("ponte.broker.redelivery-delay", "100");
        o.put("ponte.broker.max-redelivery-delay", "400");
        o.put("ponte.broker.max-delivery-attempts", "3");
        o.put("ponte.connectors.legacy.mappings", LEGACY_MAPPINGS.toString());
        o.put("ponte.connectors.legacy.poll-delay", "200ms");
        o.putAll(overrides);
        HubSettings loaded = HubSettings.load(dataDir, null, o);
        if (dev.ponte.testsupport.TestStores.onPostgres() && !String.valueOf(loaded.get("ponte.db.url"))
                .startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("a PostgreSQL test run whose hub would use " + loaded.get("ponte.db.url"));
        }
        return loaded;
    }

    /**
     * On a PostgreSQL test run ({@code -Dponte.test.store=postgresql}, the failsafe execution
     * {@code store-its-on-postgresql}): gives the data directory a fresh schema of the test PostgreSQL server, written
     * to {@code <dataDir>/ponte.properties}, so that the hub, admin commands and child JVMs of that directory all use
     * it, and a hub restarted on the directory finds its data again. Nothing on H2 runs, or when the file names a
     * database already.
     */
    public static void useTestStore(Path dataDir) {
        if (!dev.ponte.testsupport.TestStores.onPostgres()) {
            return;
        }
        try {
            Path file = dataDir.resolve("ponte.properties");
            String existing = Files.exists(file) ? Files.readString(file) : "";
            if (existing.contains("ponte.db.url=")) {
                return;
            }
            dev.ponte.testsupport.TestStores.Target t = dev.ponte.testsupport.TestStores.target(null);
            Files.createDirectories(dataDir);
            Files.writeString(file, (existing.isEmpty() || existing.endsWith("\n") ? existing : existing + "\n")
                    + "ponte.db.url=" + t.url() + "\nponte.db.user=" + t.user() + "\nponte.db.password=\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Configuration of a {@code google-calendar} instance named {@code calendar} whose Google is at {@code root} (a
     * stand-in), with test credentials, the push channel token and one calendar, synced hourly.
     */
    public static Map<String, String> calendarConnector(String root, String channelToken, String calendar) {
        Map<String, String> o = new HashMap<>();
        o.put("ponte.connectors.calendar.type", "google-calendar");
        o.put("ponte.connectors.calendar.root-url", root + "/");
        o.put("ponte.connectors.calendar.token-url", root + "/token");
        o.put("ponte.connectors.calendar.client-id", "it-client");
        o.put("ponte.connectors.calendar.client-secret", "it-client-S3cret");
        o.put("ponte.connectors.calendar.refresh-token", "it-refresh-T0ken");
        o.put("ponte.connectors.calendar.channel-token", channelToken);
        o.put("ponte.connectors.calendar.calendars", calendar);
        o.put("ponte.connectors.calendar.sync-interval", "1h");
        return o;
    }

    /**
     * Configuration of an {@code email} instance named {@code mail} sending through a local SMTP stand-in (GreenMail
     * with the user {@code agenda} / {@code smtp-it-password}), from agenda@clinicabela.com.br.
     */
    public static Map<String, String> emailConnector(int smtpPort) {
        Map<String, String> o = new HashMap<>();
        o.put("ponte.connectors.mail.type", "email");
        o.put("ponte.connectors.mail.host", "127.0.0.1");
        o.put("ponte.connectors.mail.port", String.valueOf(smtpPort));
        o.put("ponte.connectors.mail.security", "none");
        o.put("ponte.connectors.mail.username", "agenda");
        o.put("ponte.connectors.mail.password", "smtp-it-password");
        o.put("ponte.connectors.mail.from", "agenda@clinicabela.com.br");
        o.put("ponte.connectors.mail.from-name", "Clínica Bela");
        return o;
    }

    /** A single number from the hub's database ({@code select count(*) ...}). */
    public static long count(dev.ponte.store.Database db, String sql) {
        return db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of a folder (the shipped mappings, say) that a test may change, made in {@code to}. */
    public static Path copyOf(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (java.util.stream.Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }

    /** Copies export files into an inbox as a user would: written elsewhere, then moved in. */
    public static void drop(Path inbox, Path... files) throws IOException {
        Files.createDirectories(inbox);
        for (Path f : files) {
            Path tmp = inbox.getParent().resolve(f.getFileName() + ".part");
            Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, inbox.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /**
     * Starts {@code bin/ponte run} on a data directory in a child JVM (512 MB heap), its output in {@code log}.
     *
     * @param jvmOptions extra JVM options, e.g. log levels
     */
    public static Process startChildHub(Path dataDir, Path log, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-Dponte.home=" + HOME));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", JAR.toString(), "run", "--data-dir", dataDir.toString()));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * A single number through a running child hub's AUTO_SERVER database (no migrations, no pool), or -1 while no
     * hub holds it (starting, just stopped or killed). The URL should carry {@code IFEXISTS=TRUE}: the test must
     * never create the database itself, or it would own the AUTO_SERVER.
     */
    public static long countThroughHub(String url, String sql) {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            return -1;
        }
    }

    /** Events not yet published, for {@link #countThroughHub}. */
    public static final String UNPUBLISHED = "select count(*) from event where published = false";

    /**
     * What the store holds, told several ways, for the message of a failed count after a crash: per table the count by
     * a full scan (no index), through each index and READ UNCOMMITTED, canonical records without a cross-reference and
     * cross-references without a record. H2 2.3.232 can recover a transaction partially after a kill or a full disk
     * (docs/architecture.md, "The embedded database after a crash"); this says which way a failure went.
     */
    public static String integrityReport(String url) {
        StringBuilder out = new StringBuilder("store integrity:");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
             java.sql.Statement s = c.createStatement()) {
            for (String table : List.of("canonical_record", "xref", "event")) {
                // a condition on a column keeps H2 from answering count(*) from the table's row counter
                out.append("\n  ").append(table).append(": scan ").append(one(s, "select count(*) from " + table
                        + " use index () where 1 = 1"));
                Map<String, String> firstColumns = new java.util.TreeMap<>();
                try (java.sql.ResultSet rs = s.executeQuery("select index_name, column_name from"
                        + " information_schema.index_columns where table_name = '" + table + "' and"
                        + " ordinal_position = 1")) {
                    while (rs.next()) {
                        firstColumns.put(rs.getString(1), rs.getString(2));
                    }
                }
                for (Map.Entry<String, String> index : firstColumns.entrySet()) {
                    out.append(", ").append(index.getKey()).append(' ').append(one(s, "select count(*) from " + table
                            + " use index (\"" + index.getKey() + "\") where \"" + index.getValue()
                            + "\" is not null"));
                }
            }
            out.append("\n  appointments without xref: ").append(one(s, "select count(*) from canonical_record r"
                    + " where entity_type = 'Appointment' and not exists (select 1 from xref x where"
                    + " x.canonical_id = r.canonical_id)"));
            out.append(", xrefs without record: ").append(one(s, "select count(*) from xref x where not exists"
                    + " (select 1 from canonical_record r where r.canonical_id = x.canonical_id)"));
            c.setTransactionIsolation(java.sql.Connection.TRANSACTION_READ_UNCOMMITTED);
            out.append("\n  read uncommitted: canonical ").append(one(s, "select count(*) from canonical_record"))
                    .append(", xref ").append(one(s, "select count(*) from xref")).append(", event ")
                    .append(one(s, "select count(*) from event"));
        } catch (java.sql.SQLException e) {
            out.append(" (could not be read: ").append(e.getMessage()).append(')');
        }
        return out.toString();
    }

    private static long one(java.sql.Statement s, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The end state of an import of the generated export after crashes or stops: every patient and appointment
     * once, one event per appointment, no two events for the same (source, id, content), no dead letter.
     */
    public static void assertEveryRowOnce(String url, long patients, long appointments) {
        org.assertj.core.api.Assertions.assertThat(List.of(countThroughHub(url,
                "select count(*) from canonical_record where entity_type = 'Patient'"), countThroughHub(url,
                "select count(*) from xref where entity_type = 'Appointment'"), countThroughHub(url,
                "select count(*) from event where type like 'appointment.%'"), countThroughHub(url,
                "select count(*) from dead_letter"))).as("patients, appointments, appointment events, dead letters;"
                + " %s", new Object() {
                    @Override
                    public String toString() {
                        return integrityReport(url);
                    }
                }).containsExactly(patients, appointments, appointments, 0L);
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url, "select count(*) from (select dedupe_key from"
                + " event group by dedupe_key having count(*) > 1) d")).as("duplicate events").isZero();
    }
}
