package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.Direction;
import dev.ponte.spi.FileImport;
import org.apache.camel.RoutesBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code legacy-csv}: watches an inbox folder for the export files of a legacy clinic system and sends their rows,
 * in chunks, to the hub. Each file is read by the mapping whose {@code source.file} matches its name, in reference
 * order (procedures and patients before appointments); processed files move to {@code done/}, unreadable ones to
 * {@code failed/}, each with a {@code .report.json}.
 */
public final class LegacyCsvConnector implements Connector {

    public static final String TYPE = "legacy-csv";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Delimited export files of a legacy clinic-management system, dropped in an inbox folder",
            Direction.SOURCE,
            List.of("Patient", "Professional", "Procedure", "PackageEnrollment", "Appointment", "Charge"), List.of(),
            List.of(
                    ConfigField.required("mappings", ConfigType.PATH,
                            "Folder of the mapping files for this system's exports (e.g. mappings/legacy-clinic)"),
                    ConfigField.optional("inbox", ConfigType.PATH, "${data-dir}/inbox/${instance}",
                            "Folder watched for export files; done/ and failed/ are created inside it"),
                    ConfigField.optional("chunk-size", ConfigType.INT, "500",
                            "Rows per message to the hub: larger is faster, smaller redelivers less on failure")
                            .validatedBy(ConfigValidator.between(1, 10_000)),
                    ConfigField.optional("poll-delay", ConfigType.DURATION, "2s",
                            "How often the inbox is looked at")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofHours(1))),
                    ConfigField.optional("file-pattern", ConfigType.STRING, ".*\\.(csv|CSV|txt|TXT)",
                            "Regular expression of the file names taken from the inbox")
                            .validatedBy(ConfigValidator.regex())));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        CsvFileEnqueuer files = new CsvFileEnqueuer(context, context.config().integer("chunk-size"));
        return new ConnectorInstance() {
            @Override
            public RoutesBuilder routes() {
                return new InboxRoutes(context);
            }

            @Override
            public FileImport fileImport() {
                return files;
            }

            @Override
            public Health health() {
                Path inbox = context.config().path("inbox").toAbsolutePath();
                if (!Files.isDirectory(inbox)) {
                    return Health.down("inbox " + inbox + " does not exist; create it or fix "
                            + context.config().fullKey("inbox"));
                }
                return Files.isWritable(inbox) ? Health.up("inbox " + inbox)
                        : Health.down("inbox " + inbox + " is not writable: processed files cannot be moved");
            }
        };
    }
}
