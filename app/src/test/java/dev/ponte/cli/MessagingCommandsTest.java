package dev.ponte.cli;

import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ponte template check|preview} and {@code ponte messages list|show|replies|retry}. */
class MessagingCommandsTest {

    private static final String TEMPLATES = "../mappings/templates";

    @TempDir
    Path dir;

    @Test
    void theShippedTemplatesPassTheCheckAndABrokenOneIsRefusedWithFileAndLine() throws Exception {
        CliRun ok = CliRun.of("template", "check", TEMPLATES);
        assertThat(ok.exitCode()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("ok      ../mappings/templates/reminder.pt-BR.yaml").contains("0 refused");

        Path bad = dir.resolve("reminder.pt-BR.yaml");
        Files.writeString(bad, "purpose: reminder\ntext: \"Olá {{Patient.frist_name}}\"\n");
        CliRun refused = CliRun.of("template", "check", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.out()).contains("REFUSED");
        assertThat(refused.err()).contains("reminder.pt-BR.yaml:2: text: {{Patient.frist_name}} is not a glossary field");
    }

    @Test
    void previewShowsWhatThePatientReceivesOnEachChannel() {
        CliRun run = CliRun.of("template", "preview", TEMPLATES + "/reminder.pt-BR.yaml");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("── WHATSAPP ──").contains("── SMS ──")
                .contains("Olá, Ana! Lembramos do seu horário de Limpeza de pele com Dra. Camila Rocha em sexta-feira,"
                        + " 04/12/2026 às 14:30.")
                .contains("WhatsApp template ponte_lembrete_consulta (pt_BR), parameters [Ana, Limpeza de pele,");
    }

    @Test
    void messagesAreListedShownAndAFailedOneRetried() {
        HubSettings settings = HubSettings.load(dir, null, Map.of());
        Instant at = Instant.parse("2026-12-02T18:00:00Z");
        try (Database db = PonteHub.openDatabase(settings)) {
            db.inTransaction(c -> {
                Messages.insert(c, new Messages.StoredMessage("m-1", "reminder:a1:48h", "p1", "a1", "reminder",
                        "reminder", MessageStatus.FAILED, "SMS", "sms", "+5511991214283", List.of("WHATSAPP", "SMS"),
                        at, at, at, null, null, "every consented channel failed: [WHATSAPP, SMS]", at));
                Messages.step(c, "m-1", at, "channel", "FAILED", "WHATSAPP", "WhatsApp error 131026");
                Messages.parts(c, "m-1", 2);
                Messages.insertReply(c, new Messages.Reply("wamid.in1", "wa", "m-1", "+5511991214283",
                        "posso levar minha filha?", null, "UNKNOWN", at, null));
                return null;
            });
        }
        String dataDir = "--data-dir=" + dir;
        CliRun list = CliRun.of("messages", "list", "--status", "FAILED", dataDir);
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("m-1").contains("FAILED").contains("WHATSAPP>SMS").contains("2026-12-02 15:00")
                .contains("every consented channel failed").contains("1 message(s)");
        CliRun show = CliRun.of("messages", "show", "reminder:a1:48h", dataDir);
        assertThat(show.out()).contains("channel path WHATSAPP>SMS").contains("2 billable part(s)").contains("WhatsApp error 131026")
                .doesNotContain("+5511991214283");
        CliRun replies = CliRun.of("messages", "replies", "--intent", "UNKNOWN", dataDir);
        assertThat(replies.out()).contains("posso levar minha filha?").doesNotContain("991214283");
        assertThat(CliRun.of("messages", "retry", "m-1", dataDir).exitCode()).isZero();
        CliRun again = CliRun.of("messages", "retry", "m-1", dataDir);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("is SCHEDULED; only FAILED or BLOCKED messages are retried");
        CliRun status = CliRun.of("status", dataDir);
        assertThat(status.out()).contains("SCHEDULED").contains("replies waiting for a person").contains(": 1");
        assertThat(CliRun.of("messages", "list", "--status", "LOST", dataDir).exitCode()).isEqualTo(2);
    }
}
