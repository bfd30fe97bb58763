package dev.ponte.connectors.legacyjdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.RemoteRequest;
import dev.ponte.testkit.SampleCommands;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

/**
 * legacy-jdbc passes the connector test kit against a real H2 server over TCP (MySQL mode) holding a legacy
 * {@code paciente} table and, for the status write-back, an {@code agenda} table ({@link LegacyAgenda}); stopping the
 * server is the unreachable remote. The test gives
 * the connector the legacy id of every appointment: {@value #LEGACY_ID}.
 */
class LegacyJdbcAcceptanceIT extends ConnectorAcceptanceTest {

    private static final String PASSWORD = "kit-S3cret-legacy-pw";
    static final String LEGACY_ID = "200000";
    private Server server;
    private int port;

    @BeforeEach
    void startLegacyDatabase() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startServer();
        try (Connection c = DriverManager.getConnection(url(), "sa", PASSWORD); Statement s = c.createStatement()) {
            s.execute("create table if not exists paciente (id int primary key, nome varchar(200), cpf varchar(14),"
                    + " nascimento date, celular varchar(20), alterado_em bigint not null)");
            LegacyAgenda.create(c, LEGACY_ID);
        }
        LegacyAgenda.reset();
    }

    @AfterEach
    void stopLegacyDatabase() {
        server.stop();
    }

    private void startServer() throws Exception {
        server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir",
                work.resolve("legacy").toString()).start();
    }

    private String url() {
        return "jdbc:h2:tcp://localhost:" + port + "/clinica;MODE=MySQL";
    }

    @Override
    protected Connector connector() {
        return new LegacyJdbcConnector((command, systems) -> systems.contains("legacy-db") ? LEGACY_ID : null);
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Map.of("url", url(), "user", "sa", "password", PASSWORD,
                "mappings", Path.of("../../examples/legacy-db").toString(), "poll-delay", "200ms",
                "status-update", LegacyAgenda.STATUS_UPDATE);
    }

    @Override
    protected java.util.List<dev.ponte.testkit.BadConfig> badConfigs(Path workDir) {
        return java.util.List.of(new dev.ponte.testkit.BadConfig("not a JDBC URL, a batch beyond its range",
                Map.of("url", "mysql://host/clinica", "mappings", Path.of("../../examples/legacy-db").toString(),
                        "batch-size", "100000"), java.util.Set.of("url", "batch-size")),
                new dev.ponte.testkit.BadConfig("a status update with an unknown placeholder, a status map with an "
                        + "unknown status", Map.of("url", url(), "mappings",
                        Path.of("../../examples/legacy-db").toString(), "status-update",
                        "UPDATE agenda SET situacao = :status WHERE cod_agenda = :codigo", "status-values",
                        "CONFIRMED=CF,CONFIRMADO=CF"), java.util.Set.of("status-update", "status-values")));
    }

    @Override
    protected void produceSampleInput(KitHub hub) throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", PASSWORD); Statement s = c.createStatement()) {
            s.execute("insert into paciente values (1, 'Ana Lima', '529.982.247-25', '1990-01-31', '(11) 99121-4283',"
                    + " 1), (2, 'Bruno Sá', '390.533.447-05', '1985-07-02', '', 2)");
        }
    }

    @Override
    protected int expectedSampleRecords() {
        return 2;
    }

    /** An appointment confirmed in the hub (a patient's reply), as the sink-commands flow sends it. */
    @Override
    protected OutboundCommand sampleCommand() {
        return confirmed(SampleCommands.appointment(UUID.randomUUID().toString(),
                OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-3)), OutboundCommand.Action.UPSERT));
    }

    static OutboundCommand confirmed(OutboundCommand c) {
        ObjectNode data = c.data().deepCopy();
        data.put("status", "CONFIRMED");
        return new OutboundCommand(c.id(), c.businessKey(), c.entity(), c.action(), c.canonicalId(), data,
                c.related(), StatusWriteBack.STATUS_CHANGED, c.correlationId(), c.causationId(), c.time());
    }

    @Override
    protected void remoteAccepts() {
        LegacyAgenda.failNext.set(0);
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        LegacyAgenda.failNext.set(times);
    }

    @Override
    protected void remoteRejects() throws Exception {
        try (Connection c = DriverManager.getConnection(url(), "sa", PASSWORD); Statement s = c.createStatement()) {
            s.execute("delete from agenda"); // the UPDATE then changes no row
        }
    }

    @Override
    protected int externalEffects() {
        return LegacyAgenda.updated.get();
    }

    @Override
    protected java.util.List<RemoteRequest> remoteRequests() {
        synchronized (LegacyAgenda.seen) {
            return java.util.List.copyOf(LegacyAgenda.seen);
        }
    }

    @Override
    protected void resetRemote() {
        LegacyAgenda.reset();
    }

    @Override
    protected void remoteUnreachable() {
        server.stop();
    }

    @Override
    protected void remoteReachable() throws Exception {
        startServer();
    }
}
