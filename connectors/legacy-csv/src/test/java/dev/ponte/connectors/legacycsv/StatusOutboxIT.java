package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;
import dev.ponte.testkit.KitHub;
import dev.ponte.testkit.SampleCommands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The status outbox of legacy-csv: real files, through the hub's own sink route ({@link KitHub}). */
class StatusOutboxIT {

    private static final Path MAPPINGS = Path.of("../../mappings/legacy-clinic");
    /** 2026-12-01 10:15:30 in São Paulo. */
    private static final Instant CHANGED_AT = Instant.parse("2026-12-01T13:15:30Z");

    @TempDir
    Path work;
    private final Map<String, String> xrefs = new HashMap<>();

    private KitHub hub(String dir, Map<String, String> extra) throws Exception {
        Map<String, String> options = new LinkedHashMap<>(Map.of("mappings", MAPPINGS.toString(), "inbox",
                work.resolve("inbox").toString(), "poll-delay", "1h", "status-outbox",
                work.resolve("outbox").toString()));
        options.putAll(extra);
        return KitHub.start(new LegacyCsvConnector((command, systems) -> systems.contains("legacy-clinic")
                ? xrefs.get(command.canonicalId()) : null), options, false, work.resolve(dir));
    }

    private OutboundCommand confirmed(String legacyId) {
        String canonical = UUID.randomUUID().toString();
        if (legacyId != null) {
            xrefs.put(canonical, legacyId);
        }
        OutboundCommand c = LegacyCsvAcceptanceIT.confirmed(SampleCommands.appointment(canonical,
                OffsetDateTime.of(2026, 12, 3, 10, 0, 0, 0, ZoneOffset.ofHours(-3)), OutboundCommand.Action.UPSERT));
        return new OutboundCommand(c.id(), c.businessKey(), c.entity(), c.action(), c.canonicalId(), c.data(),
                c.related(), c.eventType(), c.correlationId(), c.causationId(), CHANGED_AT);
    }

    private Path dayFile() {
        return work.resolve("outbox").resolve("agenda-status-20261201.csv");
    }

    @Test
    void aConfirmationIsOneLineOfTheDaysFileInTheLegacyEncodingWrittenOnceUnderRedelivery() throws Exception {
        OutboundCommand command = confirmed("200000");
        try (KitHub hub = hub("hub", Map.of("status-values", "CONFIRMED=Confirmação,CANCELLED=Cancelado"))) {
            hub.send(command);
            await().atMost(Duration.ofSeconds(30)).until(() -> hub.recordedEffects() == 1);
            assertThat(hub.deadLetters()).isEmpty();
            Sink sink = hub.instance().sink();
            // the same change again, as after a crash between the append and the hub's commit
            assertThat(sink.deliver(SampleCommands.again(command)).detail()).contains("already in");
        }
        String expected = "COD_AGENDA;SITUACAO;ATUALIZADO_EM\r\n200000;Confirmação;01/12/2026 10:15:30\r\n";
        assertThat(Files.readAllBytes(dayFile())).as("ISO-8859-1, CRLF")
                .isEqualTo(expected.getBytes(StandardCharsets.ISO_8859_1));
        // a crash after the move but before the connector state recorded it: a fresh state, the same file
        try (KitHub hub = hub("hub-after-crash", Map.of("status-values", "CONFIRMED=Confirmação"))) {
            assertThat(hub.instance().sink().deliver(SampleCommands.again(command)).detail()).contains("appended");
        }
        assertThat(Files.readAllBytes(dayFile())).as("no second line").isEqualTo(
                expected.getBytes(StandardCharsets.ISO_8859_1));
        try (var files = Files.list(work.resolve("outbox"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactly("agenda-status-20261201.csv");
        }
    }

    @Test
    void laterChangesAreAppendedAndOthersWriteNothing() throws Exception {
        try (KitHub hub = hub("hub", Map.of("status-delimiter", "\\t", "status-encoding", "UTF-8"))) {
            Sink sink = hub.instance().sink();
            OutboundCommand first = confirmed("200001");
            sink.deliver(first);
            OutboundCommand cancelled = statusChanged(first, "CANCELLED");
            sink.deliver(cancelled);
            assertThat(sink.deliver(confirmed(null)).detail()).contains("did not come from legacy-clinic");
            OutboundCommand moved = new OutboundCommand(UUID.randomUUID().toString(), first.businessKey(),
                    first.entity(), first.action(), first.canonicalId(), first.data(), first.related(),
                    "appointment.rescheduled", first.correlationId(), UUID.randomUUID().toString(), first.time());
            assertThat(sink.deliver(moved).detail()).contains("status unchanged");
        }
        assertThat(Files.readString(dayFile(), StandardCharsets.UTF_8)).isEqualTo(
                "COD_AGENDA\tSITUACAO\tATUALIZADO_EM\r\n200001\tCF\t01/12/2026 10:15:30\r\n"
                        + "200001\tCA\t01/12/2026 10:15:30\r\n");
    }

    private static OutboundCommand statusChanged(OutboundCommand c, String status) {
        var data = c.data().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) data).put("status", status);
        return new OutboundCommand(UUID.randomUUID().toString(), c.businessKey(), c.entity(),
                OutboundCommand.Action.DELETE, c.canonicalId(), data, c.related(), StatusOutbox.STATUS_CHANGED,
                c.correlationId(), UUID.randomUUID().toString(), c.time());
    }
}
