package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The running hub takes the demo export from its inbox: counts, dead letters, reports, merges, repeats. */
@Tag("store")
class InboxImportIT {

    @TempDir
    Path dataDir;
    private PonteHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void theDemoExportDroppedInTheInboxMatchesTheOracle() throws Exception {
        Path inbox = dataDir.resolve("inbox/legacy");
        Path[] files;
        try (Stream<Path> s = Files.list(HubTestSupport.DEMO_EXPORT)) {
            files = s.filter(p -> p.toString().endsWith(".csv")).toArray(Path[]::new);
        }
        HubTestSupport.drop(inbox, files);
        awaitEveryReport(inbox, files);

        JsonNode expected = Json.MAPPER.readTree(HubTestSupport.DEMO_EXPORT.resolve("expected.json").toFile());
        expected.get("files").fields().forEachRemaining(f -> {
            Path reportFile = inbox.resolve("done/" + f.getKey() + ".report.json");
            assertThat(reportFile).exists();
            JsonNode report;
            try {
                report = Json.MAPPER.readTree(reportFile.toFile()).get("files").get(f.getKey());
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            assertThat(report.get("rows").asInt()).as(f.getKey()).isEqualTo(f.getValue().get("rows").asInt());
            assertThat(report.get("rejected").asInt()).as(f.getKey())
                    .isEqualTo(f.getValue().get("rejected").size());
            List<String> expectedRejections = Stream.of(f.getValue().get("rejected")).flatMap(a -> {
                List<String> l = new java.util.ArrayList<>();
                a.forEach(r -> l.add(r.get("line").asInt() + ":" + r.get("field").asText("null")));
                return l.stream();
            }).sorted().toList();
            List<String> reported = Stream.of(report.get("rejectedRows")).flatMap(a -> {
                List<String> l = new java.util.ArrayList<>();
                a.forEach(r -> l.add(r.get("line").asInt() + ":" + (r.get("rule").asText().equals("malformed-row")
                        ? "null" : r.get("sourceField").asText())));
                return l.stream();
            }).sorted().toList();
            assertThat(reported).as(f.getKey()).isEqualTo(expectedRejections);
        });
        JsonNode pacientes = Json.MAPPER.readTree(inbox.resolve("done/pacientes.csv.report.json").toFile())
                .at("/files/pacientes.csv");
        assertThat(pacientes.get("merged").asInt()).isEqualTo(2);
        JsonNode agenda = Json.MAPPER.readTree(inbox.resolve("done/agenda.csv.report.json").toFile())
                .at("/files/agenda.csv");
        assertThat(agenda.get("unchanged").asInt()).isEqualTo(1);
        assertThat(agenda.get("updated").asInt()).isEqualTo(1);

        Map<String, Long> counts = hub.database().inTransaction(CanonicalStore::countsByType);
        assertThat(counts).containsEntry("Patient", 192L).containsEntry("Appointment", 960L)
                .containsEntry("Procedure", 12L).containsEntry("Charge", 112L);
        List<DeadLetter> open = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
        assertThat(open).hasSize(48);
        assertThat(Files.list(inbox).filter(Files::isRegularFile)).isEmpty();

        // the identical export again: no event at all from the import (the hub's own flows, which run meanwhile,
        // count sessions and write their own events, with the source ponte://hub/...)
        String imported = "select count(*) from event where source not like 'ponte://hub/%'";
        long events = HubTestSupport.count(hub.database(), imported);
        Files.list(inbox.resolve("done")).filter(p -> p.toString().endsWith(".report.json")).forEach(p -> p.toFile().delete());
        HubTestSupport.drop(inbox, files);
        awaitEveryReport(inbox, files);
        assertThat(HubTestSupport.count(hub.database(), imported)).as("events after the identical export")
                .isEqualTo(events);
        // publishing the first import's events is work proportional to the data
        await("every event published").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(hub.database().<List<CanonicalEvent>>inTransaction(c -> EventOutbox.unpublished(c, 1)))
                        .as(() -> "an unpublished event; " + Waits.hubState(hub)).isEmpty());
    }

    /** Waits until every file of the export has its report in done/ (written once every row went through). */
    private void awaitEveryReport(Path inbox, Path[] files) {
        await("a report in done/ for every file of the export").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(Stream.of(files).map(f -> f.getFileName() + ".report.json")
                        .filter(r -> !Files.exists(inbox.resolve("done").resolve(r))).toList())
                        .as(() -> "reports not yet written; " + Waits.inbox(inbox) + "; " + Waits.hubState(hub))
                        .isEmpty());
    }
}
