package dev.ponte.hub;

import dev.ponte.store.CanonicalStore;
import dev.ponte.store.ConnectorState;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The legacy-jdbc connector polls a real H2 database in MySQL mode, seeded with a legacy schema, incrementally. */
class LegacyJdbcPollingIT {

    private static final String LEGACY_URL = "jdbc:h2:mem:legacy-clinic;MODE=MySQL;DB_CLOSE_DELAY=-1";

    @Test
    void pollsNewAndChangedRowsByTheirWatermark(@TempDir Path dataDir) throws Exception {
        try (Connection legacy = DriverManager.getConnection(LEGACY_URL, "sa", "");
             Statement s = legacy.createStatement()) {
            s.execute("create table paciente (id int primary key, nome varchar(200), cpf varchar(14),"
                    + " nascimento date, celular varchar(20), alterado_em bigint not null)");
            s.execute("insert into paciente values (1, 'Ana Lima', '529.982.247-25', '1990-01-31', '(11) 99121-4283', 1),"
                    + " (2, 'Bruno Sá', '390.533.447-05', '1985-07-02', '', 2),"
                    + " (3, 'Carla Reis', '111.111.111-12', '1979-03-03', '', 3)");
            Path mappings = Path.of(System.getProperty("ponte.home"), "examples", "legacy-db");
            try (PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of(
                    "ponte.connectors.clinic-db.type", "legacy-jdbc",
                    "ponte.connectors.clinic-db.url", LEGACY_URL,
                    "ponte.connectors.clinic-db.user", "sa",
                    "ponte.connectors.clinic-db.password", "",
                    "ponte.connectors.clinic-db.mappings", mappings.toString(),
                    "ponte.connectors.clinic-db.poll-delay", "300ms"))).start(true)) {
                await("the first poll: two patients stored, one dead-lettered").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> {
                            assertThat(patients(hub)).as(() -> "patients stored; " + polled(hub)).isEqualTo(2);
                            assertThat(hub.database().<List<DeadLetter>>inTransaction(c -> DeadLetters.list(c,
                                    DeadLetters.Filter.OPEN))).as(() -> "open dead letters; " + polled(hub)).hasSize(1);
                        });
                assertThat(hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).get(0)
                        .rules()).containsExactly("cpf-check-digit");

                s.execute("update paciente set nome = 'Ana Lima Souza', alterado_em = 4 where id = 1");
                s.execute("insert into paciente values (4, 'Davi Melo', '', '2001-12-24', '', 5)");
                // the watermark moves when the rows are on the broker, not when they are stored: wait for both rows
                await("the second poll: the new patient and the changed name stored").atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> {
                            assertThat(patients(hub)).as(() -> "patients stored; " + polled(hub)).isEqualTo(3);
                            assertThat(ana(hub)).as(() -> "patient 1 in the store; " + polled(hub))
                                    .contains("Ana Lima Souza");
                            assertThat(watermark(hub)).as(() -> "watermark of paciente; " + polled(hub))
                                    .isEqualTo("5");
                        });
            }
        }
    }

    private static String ana(PonteHub hub) {
        return hub.database().inTransaction(c -> CanonicalStore.payload(c, "Patient",
                CanonicalStore.xref(c, "legacy-db", "Patient", "1").orElseThrow().canonicalId())).orElseThrow();
    }

    private static String watermark(PonteHub hub) {
        return hub.database().inTransaction(c -> ConnectorState.state(c, "clinic-db", "watermark:paciente"))
                .orElse(null);
    }

    /** What the poller did so far: its watermark and the hub's state. */
    private static String polled(PonteHub hub) {
        return "watermark " + watermark(hub) + "; " + Waits.hubState(hub);
    }

    private static long patients(PonteHub hub) {
        return hub.database().inTransaction(CanonicalStore::countsByType).getOrDefault("Patient", 0L);
    }
}
