package dev.ponte.hub;

import dev.ponte.store.Database;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;

import java.util.concurrent.TimeUnit;

import static dev.ponte.hub.HubTestSupport.UNPUBLISHED;
import static dev.ponte.hub.HubTestSupport.assertEveryRowOnce;
import static dev.ponte.hub.HubTestSupport.countThroughHub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub in a child JVM is killed with SIGKILL in the middle of a 100,000-row import, then restarted: the store ends
 * with exactly the expected records, nothing lost, and no duplicate event for the same (source, id, content).
 */
class CrashRecoveryIT {

    private static final int APPOINTMENTS = 100_000;
    private static final String APPOINTMENT_COUNT =
            "select count(*) from canonical_record where entity_type = 'Appointment'";
    private static final Path JAR = HubTestSupport.JAR;

    @Test
    void sigkillMidImportLosesNothingAndDuplicatesNothing(@TempDir Path tmp) throws Exception {
        assertThat(JAR).as("the packaged hub (mvn package runs before the ITs)").exists();
        Path export = tmp.resolve("export");
        LegacyExportGenerator.generate(export, 1000, APPOINTMENTS, 0, 3);
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("ponte.properties"), String.join("\n",
                "ponte.http.port=" + HubTestSupport.freePort(),
                "ponte.connectors.legacy.poll-delay=200ms",
                "ponte.connectors.legacy.mappings=" + HubTestSupport.LEGACY_MAPPINGS));
        // IFEXISTS: the test must never create the database itself (it would then own the AUTO_SERVER)
        String url = Database.embeddedUrl(dataDir) + ";IFEXISTS=TRUE";

        Process first = HubTestSupport.startChildHub(dataDir, tmp.resolve("first.log"));
        try (var files = Files.list(export)) {
            HubTestSupport.drop(dataDir.resolve("inbox/legacy"), files.toArray(Path[]::new));
        }
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> countThroughHub(url, APPOINTMENT_COUNT)
                            > APPOINTMENTS / 5);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            first.destroyForcibly();
            throw new AssertionError("the hub did not import; its log:\n" + Files.readString(tmp.resolve("first.log")), e);
        }
        first.destroyForcibly(); // SIGKILL
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long atCrash = countThroughHub(url, APPOINTMENT_COUNT);
        assertThat(atCrash).as("killed mid-import").isLessThan(APPOINTMENTS);

        Process second = HubTestSupport.startChildHub(dataDir, tmp.resolve("second.log"));
        try {
            awaitRecovery(url, second, tmp.resolve("second.log"));
            assertEveryRowOnce(url, 1000, APPOINTMENTS);
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static void awaitRecovery(String url, Process hub, Path log) throws java.io.IOException {
        try {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500))
                    .failFast("the restarted hub exited", () -> !hub.isAlive())
                    .until(() -> countThroughHub(url, APPOINTMENT_COUNT)
                            == APPOINTMENTS && countThroughHub(url, UNPUBLISHED) == 0);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("not recovered: " + countThroughHub(url, APPOINTMENT_COUNT)
                    + " appointments; hub alive=" + hub.isAlive() + "; " + HubTestSupport.integrityReport(url)
                    + "\nlog:\n" + Files.readString(log), e);
        }
    }

}
