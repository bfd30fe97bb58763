package dev.ponte.connectors.legacyjdbc;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.Direction;
import org.apache.camel.RoutesBuilder;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code legacy-jdbc}: polls the tables of a legacy clinic database incrementally. Each mapping of the instance's
 * folder with {@code source.format: jdbc} names a table and a watermark column (a sequence or a last-changed
 * timestamp); rows whose watermark is above the last one seen are sent to the hub, and the new watermark is kept in
 * the hub's store, so a restart resumes where it stopped.
 */
public final class LegacyJdbcConnector implements Connector {

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("legacy-jdbc", "0.1",
            "Tables of a legacy clinic-management database, polled by a watermark column", Direction.SOURCE,
            List.of("Patient", "Professional", "Procedure", "PackageEnrollment", "Appointment", "Charge"), List.of(),
            List.of(
                    ConfigField.required("url", ConfigType.STRING,
                            "JDBC URL of the legacy database, e.g. jdbc:mysql://host/clinica (driver on the class path)")
                            .validatedBy(ConfigValidator.matching("jdbc:[a-z0-9]+:.+", "a JDBC URL such as "
                                    + "jdbc:mysql://host/clinica")),
                    ConfigField.optional("user", ConfigType.STRING, null, "Database user"),
                    ConfigField.secret("password", "Database password", false),
                    ConfigField.required("mappings", ConfigType.PATH,
                            "Folder of the mapping files (source.format: jdbc) of this database's tables"),
                    ConfigField.optional("poll-delay", ConfigType.DURATION, "30s", "How often the tables are polled")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofDays(1))),
                    ConfigField.optional("batch-size", ConfigType.INT, "500",
                            "Rows read per query and sent per message to the hub")
                            .validatedBy(ConfigValidator.between(1, 10_000))));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new ConnectorInstance() {
            @Override
            public RoutesBuilder routes() {
                return new PollRoutes(context);
            }

            @Override
            public Health health() {
                String url = context.config().string("url");
                try (Connection c = DriverManager.getConnection(url, context.config().string("user"),
                        context.config().string("password"))) {
                    return c.isValid(3) ? Health.up("legacy database answers")
                            : Health.down("legacy database did not answer within 3 s");
                } catch (SQLException e) {
                    // the driver's message can quote the URL but never the password
                    return Health.down("cannot connect to the legacy database (" + e.getSQLState() + "): "
                            + e.getMessage());
                }
            }
        };
    }
}
