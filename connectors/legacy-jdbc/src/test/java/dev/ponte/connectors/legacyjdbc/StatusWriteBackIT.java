package dev.ponte.connectors.legacyjdbc;

import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.OpenDeadLetter;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The status write-back of legacy-jdbc against a real H2 database (MySQL mode) with a legacy {@code agenda} table,
 * driven through the hub's own sink route ({@link KitHub}).
 */
class StatusWriteBackIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path MAPPINGS = Path.of("../../examples/legacy-db");

    @TempDir
    Path work;

    private String url() {
        return "jdbc:h2:" + work.resolve("legacy").resolve("clinica") + ";MODE=MySQL";
    }

    @BeforeEach
    void legacyDatabase() throws Exception {
        LegacyAgenda.reset();
        try (Connection c = legacy(); Statement s = c.createStatement()) {
            s.execute("create table paciente (id int primary key, nome varchar(200), cpf varchar(14), nascimento date,"
                    + " celular varchar(20), alterado_em bigint not null)");
            LegacyAgenda.create(c, "200000", "200001");
        }
    }

    private Connection legacy() throws SQLException {
        return DriverManager.getConnection(url(), "sa", "");
    }

    private KitHub hub(Map<String, String> extra) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("url", url(), "user", "sa", "mappings",
                MAPPINGS.toString(), "poll-delay", "1h", "status-update",
                "UPDATE agenda SET situacao = :status, atualizado_em = :updatedAt WHERE cod_agenda = :id"));
        options.putAll(extra);
        // the production connector: the legacy id comes with the command (SPI 0.6 sourceIds)
        return KitHub.start(new LegacyJdbcConnector(), options, false, work.resolve("hub"));
    }

    private OutboundCommand confirmed(String legacyId) {
        String canonical = UUID.randomUUID().toString();
        OutboundCommand c = LegacyJdbcAcceptanceIT.confirmed(SampleCommands.appointment(canonical,
                OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-3)), OutboundCommand.Action.UPSERT));
        return withSourceIds(c, legacyId == null ? Map.of() : Map.of("legacy-db", legacyId, "other-system", "x9"));
    }

    private static OutboundCommand withSourceIds(OutboundCommand c, Map<String, String> sourceIds) {
        return new OutboundCommand(c.id(), c.businessKey(), c.entity(), c.action(), c.canonicalId(), c.data(),
                c.related(), c.eventType(), c.correlationId(), c.causationId(), c.time(), sourceIds);
    }

    @Test
    void anAppointmentConfirmedInTheHubIsConfirmedInTheLegacyRow() throws Exception {
        try (KitHub hub = hub(Map.of())) {
            OutboundCommand command = confirmed("200000");
            hub.send(command);
            await().atMost(WAIT).until(() -> hub.recordedEffects() == 1);
            try (Connection c = legacy(); Statement s = c.createStatement();
                 var rs = s.executeQuery("select situacao, atualizado_em from agenda order by cod_agenda")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("CF");
                assertThat(Duration.between(rs.getTimestamp(2).toInstant(), command.time()).abs())
                        .as(":updatedAt is when the status changed").isLessThan(Duration.ofMillis(1));
                rs.next();
                assertThat(rs.getString(1)).as("the other appointment").isEqualTo("AG");
            }
            assertThat(hub.deadLetters()).isEmpty();
        }
    }

    @Test
    void anUpdateThatChangesNoRowIsAPermanentFailureNamingTheAppointmentAndTheLegacyId() throws Exception {
        try (KitHub hub = hub(Map.of())) {
            OutboundCommand command = confirmed("999999");
            hub.send(command);
            await().atMost(WAIT).until(() -> !hub.deadLetters().isEmpty());
            OpenDeadLetter d = hub.deadLetters().get(0);
            assertThat(d.errorClass()).isEqualTo("PERMANENT_REMOTE");
            assertThat(d.reason()).contains("999999").contains(command.canonicalId())
                    .contains("ponte.connectors.kit.status-update").contains("0 rows");
            assertThat(hub.deliveries()).isEqualTo(1);
        }
    }

    @Test
    void anAppointmentThatDidNotComeFromThisSystemIsDeliveredWithoutAnUpdate() throws Exception {
        try (KitHub hub = hub(Map.of())) {
            hub.send(confirmed(null));
            await().atMost(WAIT).until(() -> hub.recordedEffects() == 1);
            assertThat(hub.deadLetters()).isEmpty();
            assertThat(LegacyAgenda.seen).as("updates the database saw").isEmpty();
        }
    }

    @Test
    void onlyAStatusChangeIsWrittenAndTheSameChangeOnlyOnce() throws Exception {
        try (KitHub hub = hub(Map.of("status-values", "CONFIRMED=C,CANCELLED=X"))) {
            Sink sink = hub.instance().sink();
            OutboundCommand command = confirmed("200001");
            assertThat(sink.deliver(command).detail()).contains("status C written to legacy id 200001");
            // the same change again, as after a crash between the update and the hub's commit
            assertThat(sink.deliver(SampleCommands.again(command)).detail()).contains("already written");
            OutboundCommand moved = new OutboundCommand(UUID.randomUUID().toString(), command.businessKey(),
                    command.entity(), command.action(), command.canonicalId(), command.data(), command.related(),
                    "appointment.rescheduled", command.correlationId(), UUID.randomUUID().toString(), command.time(),
                    command.sourceIds());
            assertThat(sink.deliver(moved).detail()).contains("status unchanged");
            assertThat(LegacyAgenda.updated.get()).isEqualTo(1);
            try (Connection c = legacy()) {
                assertThat(LegacyAgenda.status(c, "200001")).isEqualTo("C");
            }
            // a status without a legacy value is the admin's to map
            OutboundCommand attended = statusChanged(command, "ATTENDED");
            assertThatThrownBy(() -> sink.deliver(attended)).hasMessageContaining("ATTENDED")
                    .hasMessageContaining("ponte.connectors.kit.status-values").hasMessageContaining("200001");
        }
    }

    @Test
    void aLegacyDatabaseThatCannotBeReachedIsRetried() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (KitHub hub = hub(Map.of("url", "jdbc:h2:tcp://localhost:" + port + "/clinica"))) {
            OutboundCommand command = confirmed("200000");
            assertThatThrownBy(() -> hub.instance().sink().deliver(command))
                    .isInstanceOf(RetriableDeliveryException.class).hasMessageContaining("200000")
                    .hasMessageContaining("ponte.connectors.kit.url");
        }
    }

    @Test
    void aStatusUpdateThatIsNotOneParameterisedUpdateIsAConfigurationErrorNamingTheKey() {
        Map<String, String> refused = Map.of(
                "UPDATE agenda SET situacao = :status WHERE cod_agenda = :codigo", ":codigo is not one of them",
                "UPDATE agenda SET situacao = :status", "WHERE",
                "UPDATE agenda SET situacao = :status WHERE cod_agenda = :id; DELETE FROM agenda", "not several",
                "DELETE FROM agenda WHERE cod_agenda = :id AND situacao = :status", "UPDATE <table>",
                "UPDATE agenda SET situacao = 'CF' WHERE cod_agenda = :id", ":status",
                "UPDATE agenda SET situacao = ? WHERE cod_agenda = ?", "not ? parameters");
        refused.forEach((sql, why) -> assertThatThrownBy(() -> validate(Map.of("status-update", sql)))
                .as(sql).isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .anyMatch(p -> p.startsWith("ponte.connectors.kit.status-update:") && p.contains(why))));
        assertThatThrownBy(() -> validate(Map.of("status-update", LegacyAgenda.STATUS_UPDATE,
                "status-values", "CONFIRMED=CF,CONFIRMADO=CF"))).isInstanceOfSatisfying(
                ConfigurationException.class, e -> assertThat(e.problems()).anyMatch(p -> p.startsWith(
                        "ponte.connectors.kit.status-values:") && p.contains("CONFIRMADO is not")));
        // literals, casts and updatedAt are fine
        assertThat(StatusUpdate.parse("update agenda set situacao = :status, obs = 'hora: 10:00', alterado = "
                + ":updatedAt::timestamp where cod_agenda = :id;")).isEqualTo(new StatusUpdate("update agenda set "
                + "situacao = ?, obs = 'hora: 10:00', alterado = ?::timestamp where cod_agenda = ?",
                java.util.List.of("status", "updatedAt", "id")));
    }

    private static OutboundCommand statusChanged(OutboundCommand c, String status) {
        var data = c.data().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("status", status);
        return new OutboundCommand(UUID.randomUUID().toString(), c.businessKey(), c.entity(), c.action(),
                c.canonicalId(), data, c.related(), StatusWriteBack.STATUS_CHANGED, c.correlationId(),
                UUID.randomUUID().toString(), c.time(), c.sourceIds());
    }

    private void validate(Map<String, String> options) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".type", "legacy-jdbc");
        properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".url", url());
        properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".mappings", MAPPINGS.toString());
        options.forEach((k, v) -> properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + "." + k, v));
        ConnectorConfigs.validate(properties, Map.of("legacy-jdbc", new LegacyJdbcConnector()),
                Map.of("data-dir", work.toString()));
    }
}
