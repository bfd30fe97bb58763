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
        Map<String, String> o = new HashMap<>();
        o.put("ponte.http.port", String.valueOf(freePort()));
        o.put("ponte.broker.redelivery-delay", "100");
        o.put("ponte.broker.max-redelivery-delay", "400");
        o.put("ponte.broker.max-delivery-attempts", "3");
        o.put("ponte.connectors.legacy.mappings", LEGACY_MAPPINGS.toString());
        o.put("ponte.connectors.legacy.poll-delay", "200ms");
        o.putAll(overrides);
        return HubSettings.load(dataDir, null, o);
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
     * The end state of an import of the generated export after crashes or stops: every patient and appointment
     * once, one event per appointment, no two events for the same (source, id, content), no dead letter.
     */
    public static void assertEveryRowOnce(String url, long patients, long appointments) {
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url,
                "select count(*) from canonical_record where entity_type = 'Patient'")).as("patients")
                .isEqualTo(patients);
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url,
                "select count(*) from xref where entity_type = 'Appointment'")).as("appointments")
                .isEqualTo(appointments);
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url, "select count(*) from (select dedupe_key from"
                + " event group by dedupe_key having count(*) > 1) d")).as("duplicate events").isZero();
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url,
                "select count(*) from event where type like 'appointment.%'")).as("appointment events")
                .isEqualTo(appointments);
        org.assertj.core.api.Assertions.assertThat(countThroughHub(url, "select count(*) from dead_letter"))
                .as("dead letters").isZero();
    }
}
