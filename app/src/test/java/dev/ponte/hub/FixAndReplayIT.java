package dev.ponte.hub;

import org.junit.jupiter.api.Tag;
import dev.ponte.cli.PonteCliRunner;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A mapping with a mistake sends rows to the dead letters; once corrected, replay brings every one of them in. */
@Tag("store")
class FixAndReplayIT {

    @Test
    void fixTheMappingThenReplayEmptiesTheDeadLetters(@TempDir Path tmp) throws Exception {
        Path mappings = tmp.resolve("mappings");
        Files.createDirectories(mappings.resolve("lookups"));
        try (Stream<Path> files = Files.walk(HubTestSupport.LEGACY_MAPPINGS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, mappings.resolve(HubTestSupport.LEGACY_MAPPINGS.relativize(f)));
            }
        }
        Path agenda = mappings.resolve("agenda.yaml");
        String correct = Files.readString(agenda);
        // the mistake: "AT" (atendido) forgotten in the status map; the examples that would catch it removed too
        String broken = correct.replace("AT: ATTENDED, ", "").substring(0, correct.replace("AT: ATTENDED, ", "")
                .indexOf("examples:"));
        Files.writeString(agenda, broken);

        Path export = tmp.resolve("export");
        LegacyExportGenerator.generate(export, 40, 300, 0, 11);
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("ponte.properties"), "ponte.connectors.legacy.mappings=" + mappings);
        HubTestSupport.useTestStore(dataDir);

        PonteCliRunner.Result imported = PonteCliRunner.run("import", export.toString(), "--data-dir",
                dataDir.toString());
        assertThat(imported.exitCode()).as(imported.transcript()).isZero();
        long attended;
        try (Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            List<DeadLetter> open = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
            assertThat(open).isNotEmpty().allSatisfy(d -> assertThat(d.rules()).containsExactly("unknown-value"));
            attended = open.size();
            assertThat(db.inTransaction(CanonicalStore::countsByType)).containsEntry("Appointment", 300L - attended);
        }

        Files.writeString(agenda, correct);
        PonteCliRunner.Result replay = PonteCliRunner.run("dlq", "replay", "--all", "--data-dir", dataDir.toString());
        assertThat(replay.exitCode()).as(replay.transcript()).isZero();
        assertThat(replay.out()).contains(attended + " replayed into the store, 0 still failing");

        try (Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            List<DeadLetter> stillOpen = db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
            assertThat(stillOpen).isEmpty();
            assertThat(db.inTransaction(CanonicalStore::countsByType)).containsEntry("Appointment", 300L);
        }
        PonteCliRunner.Result audit = PonteCliRunner.run("audit", "verify", "--data-dir", dataDir.toString());
        assertThat(audit.exitCode()).as(audit.transcript()).isZero();
        assertThat(audit.out()).contains("audit log intact");

        // tampering with one audit row is detected, naming that row
        try (Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            db.inTransaction(c -> c.createStatement().executeUpdate(
                    "update audit_log set why = 'nothing to see here' where seq = 2"));
        }
        PonteCliRunner.Result tampered = PonteCliRunner.run("audit", "verify", "--data-dir", dataDir.toString());
        assertThat(tampered.exitCode()).as(tampered.transcript()).isEqualTo(1);
        assertThat(tampered.err()).contains("audit log broken at row 2: its content does not match its hash");
    }
}
