package dev.ponte.connectors.legacyjdbc;

import dev.ponte.spi.Connector;
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
import java.util.Map;

/**
 * legacy-jdbc passes the connector test kit against a real H2 server over TCP (MySQL mode) holding a legacy
 * {@code paciente} table; stopping the server is the unreachable remote.
 */
class LegacyJdbcAcceptanceIT extends ConnectorAcceptanceTest {

    private static final String PASSWORD = "kit-S3cret-legacy-pw";
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
        }
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
        return new LegacyJdbcConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Map.of("url", url(), "user", "sa", "password", PASSWORD,
                "mappings", Path.of("../../examples/legacy-db").toString(), "poll-delay", "200ms");
    }

    @Override
    protected java.util.List<dev.ponte.testkit.BadConfig> badConfigs(Path workDir) {
        return java.util.List.of(new dev.ponte.testkit.BadConfig("not a JDBC URL, a batch beyond its range",
                Map.of("url", "mysql://host/clinica", "mappings", Path.of("../../examples/legacy-db").toString(),
                        "batch-size", "100000"), java.util.Set.of("url", "batch-size")));
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

    @Override
    protected void remoteUnreachable() {
        server.stop();
    }

    @Override
    protected void remoteReachable() throws Exception {
        startServer();
    }
}
