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
import dev.ponte.spi.Sink;
import org.apache.camel.RoutesBuilder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code legacy-csv}: watches an inbox folder for the export files of a legacy clinic system and sends their rows,
 * in chunks, to the hub. Each file is read by the mapping whose {@code source.file} matches its name, in reference
 * order (procedures and patients before appointments); processed files move to {@code done/}, unreadable ones to
 * {@code failed/}, each with a {@code .report.json}. With {@code status-outbox} configured, the instance is also a
 * sink of appointment statuses ({@link StatusOutbox}).
 */
public final class LegacyCsvConnector implements Connector {

    public static final String TYPE = "legacy-csv";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.2",
            "Delimited export files of a legacy clinic-management system, dropped in an inbox folder; optionally, "
                    + "an outbox file of appointment statuses for it to import",
            Direction.BOTH,
            List.of("Patient", "Professional", "Procedure", "PackageEnrollment", "Appointment", "Charge"),
            List.of("Appointment"),
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
                            .validatedBy(ConfigValidator.regex()),
                    ConfigField.optional("status-outbox", ConfigType.PATH, null,
                            "Write-back of appointment statuses, off when not set: the folder of the daily files "
                                    + "agenda-status-YYYYMMDD.csv (COD_AGENDA;SITUACAO;ATUALIZADO_EM) the legacy "
                                    + "system imports"),
                    ConfigField.optional("status-values", ConfigType.LIST, StatusValues.DEFAULT,
                            "Canonical appointment status = the legacy system's value, for status-outbox; the "
                                    + "default is the legacy-clinic mapping's (agenda.yaml)")
                            .validatedBy(described(v -> StatusValues.parse(castList(v)), "STATUS=value pairs, "
                                    + "STATUS one of " + String.join(", ", StatusValues.CANONICAL))),
                    ConfigField.optional("status-encoding", ConfigType.STRING, "ISO-8859-1",
                            "Character encoding of the status outbox files (as the legacy export's)")
                            .validatedBy(described(LegacyCsvConnector::charset, "a character encoding such as "
                                    + "ISO-8859-1, windows-1252 or UTF-8")),
                    ConfigField.optional("status-delimiter", ConfigType.STRING, ";",
                            "Field delimiter of the status outbox files (as the legacy export's)")
                            .validatedBy(ConfigValidator.matching("[^\\s\"a-zA-Z0-9]|\\\\t", "one character, "
                                    + "not a letter, digit, quote or space (\\t for a tab)")),
                    ConfigField.optional("status-zone", ConfigType.STRING, "America/Sao_Paulo",
                            "Time zone of ATUALIZADO_EM (dd/MM/yyyy HH:mm:ss) and of the day in the file name")
                            .validatedBy(ConfigValidator.zoneId())));

    /** The production lookup of legacy ids; tests give their own (see {@link LegacyKeys}). */
    private final LegacyKeys keys;

    public LegacyCsvConnector() {
        this(LegacyKeys.FROM_COMMAND);
    }

    LegacyCsvConnector(LegacyKeys keys) {
        this.keys = keys;
    }

    private static void charset(Object v) {
        try {
            java.nio.charset.Charset.forName(v.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a character encoding such as ISO-8859-1 or UTF-8");
        }
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
        CsvFileEnqueuer files = new CsvFileEnqueuer(context, context.config().integer("chunk-size"));
        // write-back is off unless status-outbox is configured: no sink, so the hub sends this instance no command
        Sink outbox = context.config().has("status-outbox") ? new StatusOutbox(context, keys) : null;
        return new ConnectorInstance() {
            @Override
            public Sink sink() {
                return outbox;
            }

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
                if (!Files.isWritable(inbox)) {
                    return Health.down("inbox " + inbox + " is not writable: processed files cannot be moved");
                }
                Path outboxFolder = context.config().path("status-outbox");
                if (outboxFolder != null && Files.exists(outboxFolder) && !(Files.isDirectory(outboxFolder)
                        && Files.isWritable(outboxFolder))) {
                    return Health.down("status outbox " + outboxFolder.toAbsolutePath() + " is not a writable "
                            + "folder; fix " + context.config().fullKey("status-outbox"));
                }
                return Health.up("inbox " + inbox + (outboxFolder == null ? ""
                        : ", status outbox " + outboxFolder.toAbsolutePath()));
            }
        };
    }
}
