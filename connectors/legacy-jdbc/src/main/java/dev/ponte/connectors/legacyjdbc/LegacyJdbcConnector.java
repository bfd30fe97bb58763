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
import dev.ponte.spi.Sink;
import dev.ponte.spi.SourcePoll;
import dev.ponte.spi.SourceReadException;
import org.apache.camel.RoutesBuilder;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * {@code legacy-jdbc}: polls the tables of a legacy clinic database incrementally. Each mapping of the instance's
 * folder with {@code source.format: jdbc} names a table and a watermark column (a sequence or a last-changed
 * timestamp); rows whose watermark is above the last one seen are sent to the hub, and the new watermark is kept in
 * the hub's store, so a restart resumes where it stopped. With {@code status-update} configured, the instance is also
 * a sink of appointment statuses ({@link StatusWriteBack}).
 */
public final class LegacyJdbcConnector implements Connector {

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("legacy-jdbc", "0.2",
            "Tables of a legacy clinic-management database, polled by a watermark column; optionally, appointment "
                    + "statuses written back", Direction.BOTH,
            List.of("Patient", "Professional", "Procedure", "PackageEnrollment", "Appointment", "Charge"),
            List.of("Appointment"),
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
                            .validatedBy(ConfigValidator.between(1, 10_000)),
                    ConfigField.optional("status-update", ConfigType.STRING, null,
                            "Write-back of appointment statuses, off when not set: one SQL UPDATE with the named "
                                    + "placeholders :status (the legacy value), :id (the appointment's id in the "
                                    + "legacy system) and optionally :updatedAt (when the status changed), e.g. "
                                    + "UPDATE agenda SET situacao = :status WHERE cod_agenda = :id")
                            .validatedBy(described(v -> StatusUpdate.parse(v.toString()), "one UPDATE ... SET ... "
                                    + "WHERE ... statement using :status and :id (and optionally :updatedAt)")),
                    ConfigField.optional("status-values", ConfigType.LIST, StatusValues.DEFAULT,
                            "Canonical appointment status = the legacy system's value, for status-update; the "
                                    + "default is the legacy-clinic mapping's (agenda.yaml)")
                            .validatedBy(described(v -> StatusValues.parse(castList(v)), "STATUS=value pairs, "
                                    + "STATUS one of " + String.join(", ", StatusValues.CANONICAL)))));

    /** The production lookup of legacy ids; tests give their own (see {@link LegacyKeys}). */
    private final LegacyKeys keys;

    public LegacyJdbcConnector() {
        this(LegacyKeys.FROM_COMMAND);
    }

    LegacyJdbcConnector(LegacyKeys keys) {
        this.keys = keys;
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object v) {
        return (List<String>) v;
    }

    private static ConfigValidator described(ConfigValidator check, String words) {
        return new ConfigValidator() {
            @Override
            public void check(Object value) {
                check.check(value);
            }

            @Override
            public String describe() {
                return words;
            }
        };
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        // write-back is off unless status-update is configured: no sink, so the hub sends this instance no command
        Sink writeBack = context.config().has("status-update") ? new StatusWriteBack(context, keys) : null;
        TablePoller poller = new TablePoller(context);
        return new ConnectorInstance() {
            @Override
            public SourcePoll poll() {
                return poller::pollAll;
            }

            @Override
            public Sink sink() {
                return writeBack;
            }

            @Override
            public RoutesBuilder routes() {
                return new PollRoutes(context);
            }

            @Override
            public Health health() {
                try (Connection c = poller.connect()) {
                    return c.isValid(3) ? Health.up("legacy database answers")
                            : Health.down("legacy database did not answer within 3 s");
                } catch (SourceReadException e) {
                    return Health.down(e.getMessage());
                } catch (SQLException e) {
                    // the driver's message can quote the URL but never the password
                    return Health.down("cannot connect to the legacy database (" + e.getSQLState() + "): "
                            + e.getMessage());
                }
            }
        };
    }
}
