package dev.ponte.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.cli.PonteCliRunner;
import dev.ponte.json.Json;
import dev.ponte.store.Database;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ponte.hub.HubTestSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The data directory on a small disk that fills up during an import: health says so in words, nothing is corrupted,
 * and once there is room again the hub (restarted) finishes the import with every record once.
 * <p>
 * The small disk is a 48 MB tmpfs mounted by the test, which needs root (or CAP_SYS_ADMIN); elsewhere the test is
 * skipped and says why. {@code sudo mvn verify -Dit.test=DiskFullIT} runs it on a developer machine.
 */
class DiskFullIT {

    static final int APPOINTMENTS = 20_000;

    @TempDir
    Path base;
    private Path disk;
    private PonteHub hub;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = base.resolve("disk");
        Files.createDirectories(disk);
        int exit = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", disk.toString());
        Assumptions.assumeTrue(exit == 0, "skipped: mounting a small tmpfs needs root or CAP_SYS_ADMIN (mount exit "
                + exit + "); run this test as root to check the full-disk behaviour");
    }

    @AfterEach
    void unmount() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (disk != null) {
            run("umount", "-l", disk.toString());
        }
    }

    private static int run(String... cmd) throws InterruptedException {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
        } catch (IOException e) {
            return -1;
        }
    }

    @Test
    void aFullDiskIsReportedCorruptsNothingAndTheImportFinishesOnceThereIsRoom() throws Exception {
        Path dataDir = disk.resolve("data");
        int port = HubTestSupport.freePort();
        Map<String, String> o = Map.of("ponte.http.port", String.valueOf(port), "ponte.disk.min-free",
                String.valueOf(8L << 20));
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, o)).start(true);
        Path export = base.resolve("export");
        LegacyExportGenerator.generate(export, 300, APPOINTMENTS, 0, 3);
        Path inbox = dataDir.resolve("inbox/legacy");
        try (Stream<Path> s = Files.list(export)) {
            HubTestSupport.drop(inbox, s.toArray(Path[]::new));
        }

        // the disk fills up: health turns DOWN and says what to do
        await("health's disk check turning DOWN as the import fills the disk").atMost(Duration.ofSeconds(180))
                .until(() -> health(port).at("/checks/disk").asText(), disk -> disk.startsWith("DOWN"));
        JsonNode health = health(port);
        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/checks/disk").asText()).contains("free space or move the data directory");
        // now really full: a ballast file takes every byte left, so the database and the journal cannot write
        Path ballast = disk.resolve("ballast");
        fill(ballast);
        java.util.concurrent.atomic.AtomicLong last = new java.util.concurrent.atomic.AtomicLong(-1);
        await("no progress for 3 s: the hub stuck on the full disk, not crashed").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(3))
                .until(() -> { // appointments stored, -1 while the database refuses to answer
                    long now = countOrMinusOne(hub.database());
                    return now == last.getAndSet(now);
                });
        assertThat(last.get()).as("the disk filled up before the import ended").isLessThan(APPOINTMENTS);
        // with every write blocked, health still answers within its 2 s (health() fails otherwise), and says DOWN
        JsonNode whenFull = health(port);
        assertThat(whenFull.get("status").asText()).as(whenFull.toString()).isEqualTo("DOWN");
        hub.close();
        hub = null;
        endInProcessDatabase(dataDir);

        // room again (the ballast goes, the tmpfs grows), the hub restarts on the same data directory
        Files.delete(ballast);
        assertThat(run("mount", "-o", "remount,size=2g", disk.toString())).isZero();
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, o)).start(true);
        Database db = hub.database();
        await("every appointment in the store and every event published after the restart")
                .atMost(Duration.ofMinutes(4)).untilAsserted(() -> {
                    // chunks the broker gave up on while the disk was full are dead letters: replaying them is the
                    // repair
                    long open = count(db, "select count(*) from dead_letter where status = 'OPEN'");
                    String replayed = open == 0 ? "" : PonteCliRunner.run("dlq", "replay", "--all", "--data-dir",
                            dataDir.toString()).transcript();
                    assertThat(count(db, "select count(*) from xref where entity_type = 'Appointment'"))
                            .as("appointments stored (%d dead letters were open; replay: %s)", open, replayed)
                            .isEqualTo(APPOINTMENTS);
                    assertThat(count(db, "select count(*) from event where published = false"))
                            .as("events not yet published").isZero();
                });
        assertThat(count(db, "select count(*) from event where type like 'appointment.%'"))
                .as("appointment events; subjects with more than one: %s; dead letters: %s; %s", repeatedSubjects(db),
                        deadLetters(db), HubTestSupport.integrityReport(Database.embeddedUrl(dataDir)
                                + ";IFEXISTS=TRUE")).isEqualTo(APPOINTMENTS);
        assertThat(count(db, "select count(*) from (select dedupe_key from event group by dedupe_key"
                + " having count(*) > 1) d")).as("duplicate events").isZero();
        assertThat(health(port).get("status").asText()).isEqualTo("UP");
        PonteCliRunner.Result audit = PonteCliRunner.run("audit", "verify", "--data-dir", dataDir.toString());
        assertThat(audit.exitCode()).as(audit.transcript()).isZero();
    }

    private static void fill(Path ballast) throws IOException {
        byte[] block = new byte[1 << 20];
        try (var out = Files.newOutputStream(ballast)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            if (Files.getFileStore(ballast.getParent()).getUsableSpace() > (1 << 20)) {
                throw full; // not "no space left": a real error
            }
        }
    }

    /** Events of every appointment with more than one, for the failure message. */
    private static String repeatedSubjects(Database db) {
        return db.inTransaction(c -> {
            StringBuilder out = new StringBuilder();
            try (var s = c.createStatement(); var rs = s.executeQuery("select subject, type, dedupe_key, mapping,"
                    + " time from event where subject in (select subject from event where type like"
                    + " 'appointment.%' group by subject having count(*) > 1) order by subject, seq")) {
                while (rs.next()) {
                    out.append("\n  ").append(rs.getString(1)).append(' ').append(rs.getString(2)).append(' ')
                            .append(rs.getString(3)).append(' ').append(rs.getString(4)).append(' ')
                            .append(rs.getString(5));
                }
            }
            return out.toString();
        });
    }

    private static String deadLetters(Database db) {
        return db.inTransaction(c -> dev.ponte.store.DeadLetters.list(c, new dev.ponte.store.DeadLetters.Filter(
                null, null, null, null))).stream().map(d -> d.id() + ":" + d.errorClass() + d.rules() + ":"
                + d.status() + ":" + d.resolution()).toList().toString();
    }

    /**
     * A real restart is a new process, whose H2 starts from the file. In this JVM the stopped hub's H2 engine can
     * still be open (a connection stuck in a write on the full disk is never handed back to the pool), and the next
     * open of the same URL would then get that broken engine ("Writing to ... failed" on the roomy disk, seen once).
     * End it as the end of the process would: SHUTDOWN IMMEDIATELY writes nothing and drops the engine, so the
     * restart reads the file as a new process does. Opening it anew just for this fails on the full disk, which is
     * fine: then no engine is left.
     */
    private static void endInProcessDatabase(Path dataDir) throws Exception {
        java.util.concurrent.CompletableFuture<Void> ended = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(Database.embeddedUrl(dataDir)
                    + ";IFEXISTS=TRUE", "sa", ""); java.sql.Statement st = c.createStatement()) {
                st.execute("SHUTDOWN IMMEDIATELY");
            } catch (java.sql.SQLException noEngineLeft) {
                // closed already, or cannot be opened on the full disk: nothing of the old engine remains
            }
        });
        ended.get(60, java.util.concurrent.TimeUnit.SECONDS); // fails the test, naming the timeout, if it hangs
    }

    private static long countOrMinusOne(Database db) {
        try {
            return count(db, "select count(*) from xref where entity_type = 'Appointment'");
        } catch (RuntimeException e) {
            return -1; // the database refuses work on a full disk: that is also "no progress"
        }
    }

    /** {@code /health} must answer within 2 s in every state, a full disk included: a slower answer fails the test. */
    private static JsonNode health(int port) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        return Json.MAPPER.readTree(HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).body());
    }
}
