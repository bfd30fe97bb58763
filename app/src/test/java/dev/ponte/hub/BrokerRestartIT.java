package dev.ponte.hub;

import dev.ponte.broker.BrokerAddressSettings;
import dev.ponte.store.Database;
import dev.ponte.testsupport.ExternalArtemis;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ponte.hub.HubTestSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub on an external broker (the scale-out configuration): a real Artemis from the distribution on Maven
 * Central, in a process of its own, configured with what {@code bin/ponte broker-config} prints, killed (SIGKILL)
 * while an import is half way through and started again: nothing is lost and nothing is taken in twice. Also the test
 * of {@code ponte.broker.url} with a user and a password. Tagged store: it runs again on PostgreSQL.
 */
@Tag("store")
class BrokerRestartIT {

    static final int APPOINTMENTS = 20_000;

    @TempDir
    Path dataDir;
    @TempDir
    Path brokerDir;
    @TempDir
    Path export;
    private ExternalArtemis broker;
    private PonteHub hub;

    @AfterEach
    void stop() throws Exception {
        if (hub != null) {
            hub.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aBrokerRestartMidImportLosesNothingAndDuplicatesNothing() throws Exception {
        HubSettings plain = HubTestSupport.settings(dataDir, Map.of());
        broker = ExternalArtemis.create(brokerDir.resolve("broker"),
                BrokerAddressSettings.brokerXml(plain.brokerSettings())).start();
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.url", broker.url(),
                "ponte.broker.user", ExternalArtemis.user(), "ponte.broker.password", ExternalArtemis.password())))
                .start(true);
        LegacyExportGenerator.generate(export, 500, APPOINTMENTS, 0, 5);
        Path inbox = dataDir.resolve("inbox/legacy");
        try (Stream<Path> s = Files.list(export)) {
            HubTestSupport.drop(inbox, s.toArray(Path[]::new));
        }
        Database db = hub.database();
        // every row is on the broker (the file is done reading) and the hub is working through them
        await("agenda.csv read to the end and the first appointments stored").atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> {
                    assertThat(inbox.resolve("done/agenda.csv")).as(() -> "agenda.csv in done/; " + Waits.inbox(inbox)
                            + "; " + Waits.hubState(hub)).exists();
                    assertThat(count(db, "select count(*) from xref where entity_type = 'Appointment'"))
                            .as(() -> "appointments stored; " + Waits.hubState(hub)).isPositive();
                });
        long before = count(db, "select count(*) from xref where entity_type = 'Appointment'");
        broker.kill();
        broker.start();
        assertThat(before).as("restarted mid-import").isLessThan(APPOINTMENTS);

        await("every appointment stored and its event published after the restart").atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    assertThat(count(db, "select count(*) from xref where entity_type = 'Appointment'"))
                            .as(() -> "appointments stored; " + Waits.hubState(hub)).isEqualTo(APPOINTMENTS);
                    assertThat(count(db, "select count(*) from event where published = false"))
                            .as(() -> "unpublished events; " + Waits.hubState(hub)).isZero();
                });
        assertThat(count(db, "select count(*) from canonical_record where entity_type = 'Appointment'"))
                .isEqualTo(APPOINTMENTS);
        assertThat(count(db, "select count(*) from event where type like 'appointment.%'")).isEqualTo(APPOINTMENTS);
        assertThat(count(db, "select count(*) from (select dedupe_key from event group by dedupe_key"
                + " having count(*) > 1) d")).as("duplicate events").isZero();
        assertThat(count(db, "select count(*) from dead_letter")).isZero();
    }
}
