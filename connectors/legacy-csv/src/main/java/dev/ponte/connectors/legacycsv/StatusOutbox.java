package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorStateStore;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.spi.SourceMapping;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The optional sink of legacy-csv: each status change of an appointment that came from this system becomes one line
 * of a daily outbox file the legacy system imports, {@code <status-outbox>/agenda-status-YYYYMMDD.csv} (the day of
 * the change, in {@code status-zone}), header {@code COD_AGENDA;SITUACAO;ATUALIZADO_EM}, CRLF line ends, in
 * {@code status-encoding} with {@code status-delimiter} (by default ISO-8859-1 and {@code ;}, as the legacy-clinic
 * export).
 *
 * <ul>
 *   <li>only {@code appointment.status-changed} commands write; changes that came from this instance never reach
 *       it (the hub sends no echo); an appointment that did not come from this system writes nothing and says so;</li>
 *   <li>the append survives a crash: the file with the new line is written beside it, forced to disk and renamed
 *       over it in one atomic move, so the legacy system sees the file before or after the line, never half a
 *       line;</li>
 *   <li>a change is written once: the line of each change (appointment and the event that changed it) is recorded
 *       in the connector state after the move, and a line already in the file (a crash between the move and that
 *       record) is not appended again.</li>
 * </ul>
 * Lines hold the legacy id, the legacy status and the time: no personal data; logs and messages name ids only.
 */
final class StatusOutbox implements Sink {

    static final String STATUS_CHANGED = "appointment.status-changed";
    static final String CRLF = "\r\n";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm:ss");

    private final ConnectorContext ctx;
    private final ConnectorConfig config;
    private final Path folder;
    private final Map<String, String> values;
    private final Charset charset;
    private final String delimiter;
    private final ZoneId zone;
    private final LegacyKeys keys;

    StatusOutbox(ConnectorContext ctx, LegacyKeys keys) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.folder = config.path("status-outbox").toAbsolutePath();
        this.values = StatusValues.parse(config.list("status-values"));
        this.charset = Charset.forName(config.string("status-encoding"));
        this.delimiter = "\\t".equals(config.string("status-delimiter")) ? "\t" : config.string("status-delimiter");
        this.zone = ZoneId.of(config.string("status-zone"));
        this.keys = keys;
    }

    /** The file of the changes of one day. */
    static String fileName(Instant changedAt, ZoneId zone) {
        return "agenda-status-" + DAY.format(changedAt.atZone(zone)) + ".csv";
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        if (!"Appointment".equals(command.entity())) {
            throw new PermanentDeliveryException(config.instance() + " writes back appointment statuses only, not "
                    + command.entity() + " " + command.canonicalId());
        }
        String appointment = "appointment " + command.canonicalId();
        if (!STATUS_CHANGED.equals(command.eventType())) {
            return new Delivery(null, "status unchanged (" + command.eventType() + "): nothing written");
        }
        Set<String> systems = ctx.mappings() == null ? Set.of() : ctx.mappings().inReferenceOrder().stream()
                .map(SourceMapping::system).collect(Collectors.toCollection(java.util.TreeSet::new));
        String legacyId = keys.keyOf(command, systems);
        if (legacyId == null) {
            return new Delivery(null, appointment + " did not come from " + String.join(", ", systems)
                    + " (the command names no id of it there): nothing to write");
        }
        String status = command.text("status");
        String legacyStatus = status == null ? null : values.get(status);
        if (legacyStatus == null) {
            throw new PermanentDeliveryException(appointment + " (legacy id " + legacyId + "): status " + status
                    + " has no legacy value in " + config.fullKey("status-values") + "; add it (" + status
                    + "=<value>), then replay");
        }
        Instant changedAt = command.time() == null ? ctx.clock().instant() : command.time();
        String name = fileName(changedAt, zone);
        String line = String.join(delimiter, field(legacyId), field(legacyStatus),
                field(TIME.format(changedAt.atZone(zone))));
        String stateKey = "outbox:" + command.canonicalId() + ":" + command.causationId();
        if (ctx.state().get(stateKey).isPresent()) {
            return new Delivery(legacyId, "line of this change already in " + name);
        }
        if (config.sandbox()) {
            ctx.sandbox().record(config.instance(), command.businessKey(), "APPEND", name, Map.of(), line);
        } else {
            append(name, line, appointment + " (legacy id " + legacyId + ")");
        }
        ctx.state().put(stateKey, name, ConnectorStateStore.ABSENT); // false: a second hub wrote it, same line
        return new Delivery(legacyId, "status " + legacyStatus + " of legacy id " + legacyId + " appended to " + name
                + (config.sandbox() ? " (sandbox: recorded, not written)" : ""));
    }

    /** Appends one line, atomically: the file with the line written beside it, forced to disk, moved over it. */
    private void append(String name, String line, String what) throws Exception {
        Path file = folder.resolve(name);
        byte[] existing;
        try {
            Files.createDirectories(folder);
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new PermanentDeliveryException("cannot append the status of " + what + ": " + file + " is not "
                        + "a regular file; move it away from " + config.fullKey("status-outbox") + ", then replay");
            }
            existing = Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            throw new RetriableDeliveryException("cannot write the status outbox " + folder + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); retried. Check that "
                    + config.fullKey("status-outbox") + " is a folder the hub can write", e);
        }
        String header = String.join(delimiter, "COD_AGENDA", "SITUACAO", "ATUALIZADO_EM");
        String text = existing == null ? header + CRLF : new String(existing, charset);
        if (("\n" + text).contains("\n" + line + CRLF)) {
            return; // written before a crash that lost the record of it
        }
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text = text + CRLF; // a last line without its end (edited by hand)
        }
        byte[] bytes;
        try {
            bytes = encode(text + line + CRLF);
        } catch (CharacterCodingException e) {
            throw new PermanentDeliveryException("the status line of " + what + " cannot be written in "
                    + charset.name() + " (" + config.fullKey("status-encoding") + "); give "
                    + config.fullKey("status-values") + " values of that encoding, then replay");
        }
        Path tmp = folder.resolve("." + name + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new PermanentDeliveryException(config.fullKey("status-outbox") + " (" + folder + ") is on a "
                        + "file system without atomic renames; choose a local folder, then replay");
            }
            forceFolder();
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw new RetriableDeliveryException("cannot append the status of " + what + " to " + file + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); retried. Check the free space and "
                    + "permissions of " + config.fullKey("status-outbox"), e);
        }
    }

    /** The rename made durable (where the platform can open a folder for it: not on Windows). */
    private void forceFolder() {
        try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the file itself is on disk; only the rename could be lost, and a redelivery writes it again
        }
    }

    private byte[] encode(String text) throws CharacterCodingException {
        ByteBuffer b = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).encode(java.nio.CharBuffer.wrap(text));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** A value quoted when it holds the delimiter, a quote or a line end. */
    private String field(String value) {
        if (value.contains(delimiter) || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
