package dev.ponte.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.cli.PonteCliRunner;
import dev.ponte.json.Json;
import dev.ponte.spi.SourceMapping;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running hub and an admin editing its mappings: a good change is in force at the next file, a bad one is refused
 * (the previous version stays, and the refusal is in health and status with file and line), every accepted version
 * is in the history, and a rollback puts an old version back.
 */
class MappingHotReloadIT {

    private static final String NAME = "esthetix/visit-appointments";

    @TempDir
    Path tmp;
    private PonteHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void aGoodChangeIsAppliedABadOneRefusedAndARollbackBringsAnOldVersionBack() throws Exception {
        Path mappings = Files.createDirectories(tmp.resolve("mappings"));
        Instant start = Instant.now().minus(1, ChronoUnit.HOURS);
        try (Stream<Path> files = Files.list(SecondSystemImportIT.MAPPINGS)) {
            for (Path f : files.toList()) {
                Files.setLastModifiedTime(Files.copy(f, mappings.resolve(f.getFileName())), FileTime.from(start));
            }
        }
        Path file = mappings.resolve("visit-appointments.yaml");
        String v1 = Files.readString(file);
        Path dataDir = Files.createDirectories(tmp.resolve("data"));
        int port = HubTestSupport.freePort();
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.connectors.legacy.mappings",
                mappings.toString(), "ponte.http.port", String.valueOf(port)))).start(true);
        assertThat(inForce()).contains(NAME + "@1");
        assertThat(cli("mapping", "history", NAME, "--data-dir", dataDir.toString()).out())
                .containsPattern("(?m)^1 .*visit-appointments.yaml  \\(in the file\\)$");

        // a good change: inner spaces of the notes collapsed, version 2 (a change its own examples refused, such as
        // mapping "Pending", would be refused like the bad change below)
        String v2 = v1.replace("version: 1", "version: 2").replace("notes: {from: notes, transforms: [trim]}",
                "notes: {from: notes, transforms: [collapse-spaces]}");
        edit(file, v2, start.plus(10, ChronoUnit.MINUTES));
        assertThat(inForce()).contains(NAME + "@2");
        PonteCliRunner.Result history = cli("mapping", "history", NAME, "--data-dir", dataDir.toString());
        assertThat(history.out().lines().filter(l -> l.matches("^[12] .*"))).hasSize(2);
        assertThat(history.out()).containsPattern("(?m)^2 .*\\(in the file\\)$");
        PonteCliRunner.Result diff = cli("mapping", "diff", NAME, "1", "2", "--data-dir", dataDir.toString());
        assertThat(diff.exitCode()).as(diff.transcript()).isEqualTo(1);
        assertThat(diff.out()).contains("- 5: version: 1", "+ 5: version: 2", "transforms: [collapse-spaces]}", "4 line(s) differ");

        // a bad change: refused, version 2 stays in force, and an admin can see why and where
        String broken = v2.replace("version: 2", "version: 3").replace("[trim, upper]", "[trim, uppercase]");
        edit(file, broken, start.plus(20, ChronoUnit.MINUTES));
        assertThat(inForce()).contains(NAME + "@2");
        assertThat(hub.mappingRefusals()).containsOnlyKeys("legacy");
        assertThat(hub.mappingRefusals().get("legacy")).contains(file + ":17: Appointment.procedureCode: unknown "
                + "transform 'uppercase'; did you mean 'upper'?");
        JsonNode health = health(port);
        assertThat(health.get("status").asText()).as(health.toString()).isEqualTo("DEGRADED");
        assertThat(health.at("/checks/mappings").asText()).startsWith("DEGRADED: legacy: change refused")
                .contains("the previous mappings are in force", "visit-appointments.yaml:17");
        assertThat(cli("status", "--data-dir", dataDir.toString()).out())
                .contains("mapping change REFUSED in " + mappings, "unknown transform 'uppercase'");

        // a file that is not even text: refused the same way, version 2 still in force, no stack trace
        Files.write(file, "mapping: x\ndescription: Depila\u00e7\u00e3o\n".getBytes(java.nio.charset.StandardCharsets
                .ISO_8859_1));
        Files.setLastModifiedTime(file, FileTime.from(start.plus(30, ChronoUnit.MINUTES)));
        assertThat(inForce()).contains(NAME + "@2");
        assertThat(hub.mappingRefusals().get("legacy")).contains(file + ":2: (file): not UTF-8 (byte 0xE7)")
                .doesNotContain("Exception");

        // rollback to version 1: checked again, written back, picked up by the running hub
        PonteCliRunner.Result rollback = cli("mapping", "rollback", NAME, "1", "--data-dir", dataDir.toString());
        assertThat(rollback.exitCode()).as(rollback.transcript()).isZero();
        assertThat(Files.readString(file)).isEqualTo(v1);
        assertThat(inForce()).contains(NAME + "@1");
        assertThat(hub.mappingRefusals()).isEmpty();
        assertThat(health(port).at("/checks/mappings").asText()).isEqualTo("UP");
        assertThat(cli("status", "--data-dir", dataDir.toString()).out()).doesNotContain("REFUSED");
        assertThat(cli("mapping", "history", NAME, "--data-dir", dataDir.toString()).out())
                .containsPattern("(?m)^1 .*\\(in the file\\)$");
        assertThat(cli("audit", "verify", "--data-dir", dataDir.toString()).exitCode()).isZero();
        try (dev.ponte.store.Database db = PonteHub.openDatabase(HubSettings.load(dataDir, null, Map.of()))) {
            assertThat(HubTestSupport.count(db, "select count(*) from audit_log where action = 'mapping.rollback'"
                    + " and target = 'mapping/" + NAME + "'")).isEqualTo(1);
        }
        PonteCliRunner.Result none = cli("mapping", "rollback", NAME, "7", "--data-dir", dataDir.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("has no version 7", "[1, 2]");
    }

    /** Writes a mapping file with a modification time that orders the edits (no waiting for the clock to tick). */
    private static void edit(Path file, String text, Instant modified) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }

    /** The mapping ids the hub's legacy instance reads visits.csv with: asking is what makes it look at the folder. */
    private List<String> inForce() {
        return hub.connectors().get("legacy").mappings().forFile("visits.csv").stream().map(SourceMapping::id)
                .toList();
    }

    private static PonteCliRunner.Result cli(String... args) {
        return PonteCliRunner.run(args);
    }

    private static JsonNode health(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(r.body());
    }
}
