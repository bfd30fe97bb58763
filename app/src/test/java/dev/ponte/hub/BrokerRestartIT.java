package dev.ponte.hub;

import dev.ponte.broker.BrokerSettings;
import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.store.Database;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.AfterEach;
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
 * The hub on an external broker (the scale-out configuration), which is restarted while an import is half way
 * through: nothing is lost and nothing is taken in twice. Also the test of {@code ponte.broker.url}.
 */
class BrokerRestartIT {

    static final int APPOINTMENTS = 20_000;

    @TempDir
    Path dataDir;
    @TempDir
    Path brokerDir;
    @TempDir
    Path export;
    private EmbeddedBroker broker;
    private PonteHub hub;

    private EmbeddedBroker startBroker(int port) throws Exception {
        return new EmbeddedBroker(new BrokerSettings(brokerDir, "tcp://127.0.0.1:" + port, 5, 100, 2.0, 1000));
    }

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
        int port = HubTestSupport.freePort();
        broker = startBroker(port);
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.url", "tcp://127.0.0.1:" + port
                + "?reconnectAttempts=-1&retryInterval=100&retryIntervalMultiplier=1.5&maxRetryInterval=2000")))
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
        broker.close();
        broker = startBroker(port);
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
