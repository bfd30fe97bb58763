package dev.ponte.cli;

import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Hashes;
import dev.ponte.store.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ponte campaign check|preview|run|results} on the shipped campaigns and a small store. */
class CampaignCommandTest {

    @TempDir
    Path dir;

    private Path config(String campaigns) throws Exception {
        return Files.writeString(dir.resolve("ponte.properties"), "ponte.messaging.templates=../mappings/templates\n"
                + "ponte.campaigns=" + campaigns + "\nponte.messaging.connector.whatsapp=wa\n");
    }

    @Test
    void theShippedCampaignsPassTheCheckAndABrokenOneIsRefusedWithFileLineAndKey() throws Exception {
        Path cfg = config("../mappings/campaigns");
        CliRun ok = CliRun.of("campaign", "check", "--config", cfg.toString(), "--data-dir", dir.resolve("d")
                .toString());
        assertThat(ok.exitCode()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("ok      ../mappings/campaigns/botox-retouch.yaml")
                .contains("ok      ../mappings/campaigns/birthday.yaml").contains("2 file(s) checked, 0 refused")
                .contains("procedure codes checked for their form only");

        Path bad = Files.writeString(dir.resolve("retouch.yaml"), "campaign: retouch\nversion: 1\ntrigger:\n"
                + "  no-visit: {days: 180}\ntemplate: botox-retouch\nwindow: {from: \"18:00\", to: \"09:00\"}\n"
                + "audiense: {}\n");
        CliRun refused = CliRun.of("campaign", "check", bad.toString(), "--config", cfg.toString(), "--data-dir",
                dir.resolve("d").toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("REFUSED " + bad).contains("1 refused, 2 problem(s)");
        assertThat(refused.err()).contains("retouch.yaml:6: window.to: must be after window.from (18:00)")
                .contains("retouch.yaml:7: audiense: unknown key").contains("did you mean audience?");
    }

    @Test
    void previewWritesNothingRunSchedulesOnceAndResultsCountTheRun() throws Exception {
        Path cfg = config("../mappings/campaigns");
        Path data = dir.resolve("data");
        LocalDate today = LocalDate.now(ZoneId.of("America/Sao_Paulo"));
        try (Database db = PonteHub.openDatabase(HubSettings.load(data, cfg, Map.of()))) {
            db.inTransaction(c -> {
                Instant now = Instant.now();
                save(c, "Procedure", "P003", "{\"code\":\"P003\",\"name\":\"Toxina\",\"kind\":\"SERVICE\"}", now);
                for (String[] p : new String[][]{{"p-yes", "true"}, {"p-no", "false"}}) {
                    save(c, "Patient", p[0], "{\"id\":\"" + p[0] + "\",\"name\":\"Ana Souza\",\"birthDate\":"
                            + "\"1990-05-01\",\"mobilePhone\":\"+5511991214283\",\"consents\":[{\"channel\":"
                            + "\"WHATSAPP\",\"purpose\":\"MARKETING\",\"granted\":" + p[1] + "}]}", now);
                    LocalDate on = today.minusDays(120);
                    save(c, "Appointment", "a-" + p[0], "{\"id\":\"a-" + p[0] + "\",\"patientId\":\"" + p[0]
                            + "\",\"procedureCode\":\"P003\",\"start\":\"" + on + "T10:00:00-03:00\",\"end\":\"" + on
                            + "T10:30:00-03:00\",\"status\":\"ATTENDED\"}", now);
                }
                return null;
            });
        }
        String[] common = {"--config", cfg.toString(), "--data-dir", data.toString(), "--date", today.toString()};
        CliRun preview = CliRun.of(args("campaign", "preview", "botox-retouch", common));
        assertThat(preview.exitCode()).as(preview.out() + preview.err()).isZero();
        assertThat(preview.out()).contains("2 patient(s) selected by days-after-procedure")
                .contains("would schedule 1").contains("block 1 {consent=1}")
                .containsPattern("p-yes +scheduled +WHATSAPP \\+55•••••4283").containsPattern("p-no +blocked +consent")
                .doesNotContain("+5511991214283").doesNotContain("Ana");
        assertThat(recalls(cfg, data)).as("a preview writes nothing").isZero();

        CliRun run = CliRun.of(args("campaign", "run", "botox-retouch", common));
        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("campaign botox-retouch ran for " + today).contains("scheduled 1")
                .contains("blocked   1 {consent=1}");
        CliRun again = CliRun.of(args("campaign", "run", "botox-retouch", common));
        assertThat(again.out()).contains("already ran for " + today).contains("nothing scheduled again");
        assertThat(recalls(cfg, data)).isEqualTo(1);

        CliRun results = CliRun.of("campaign", "results", "botox-retouch", "--config", cfg.toString(),
                "--data-dir", data.toString());
        assertThat(results.exitCode()).as(results.out() + results.err()).isZero();
        assertThat(results.out()).containsPattern(today + " +1 +2 +0 +1 +0 +0 +\\{consent=1}")
                .contains("1 run(s); replied within 7 day(s), booked within 14 day(s)");

        CliRun unknown = CliRun.of(args("campaign", "run", "botox", common));
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no campaign 'botox'");
        CliRun badDate = CliRun.of("campaign", "preview", "birthday", "--date", "02/12/2026", "--config",
                cfg.toString(), "--data-dir", data.toString());
        assertThat(badDate.exitCode()).isEqualTo(2);
    }

    private static long recalls(Path cfg, Path data) {
        try (Database db = PonteHub.openDatabase(HubSettings.load(data, cfg, Map.of()))) {
            return db.read(c -> Messages.recent(c, List.of(), 100)).stream()
                    .filter(m -> m.purpose().equals("recall")).count();
        }
    }

    private static void save(java.sql.Connection c, String entity, String id, String json, Instant now)
            throws java.sql.SQLException {
        CanonicalStore.insert(c, entity, id, json, Hashes.sha256(json), now);
    }

    private static String[] args(String a, String b, String c, String... rest) {
        String[] out = new String[3 + rest.length];
        out[0] = a;
        out[1] = b;
        out[2] = c;
        System.arraycopy(rest, 0, out, 3, rest.length);
        return out;
    }
}
