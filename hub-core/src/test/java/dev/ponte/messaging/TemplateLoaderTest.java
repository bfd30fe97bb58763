package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.model.Channel;
import dev.ponte.spi.OutboundMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateLoaderTest {

    private static final Glossary GLOSSARY = Glossary.load(java.nio.file.Path.of("../mappings/glossary.yaml"));

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aTemplateRendersGlossaryFieldsInTheClinicTimeZoneForEachChannel() throws Exception {
        Template t = new TemplateLoader(GLOSSARY).loadFile(write("reminder.pt-BR.yaml", """
                purpose: reminder
                text: "Olá, {{Patient.name|first}}! {{Procedure.name}} em {{Appointment.start|date}} às {{Appointment.start|time}}."
                whatsapp:
                  name: ponte_lembrete
                  language: pt_BR
                  parameters: ["{{Patient.name|first}}", "{{Appointment.start|time}}"]
                  buttons: [CONFIRM, CANCEL]
                """));
        Map<String, JsonNode> records = Map.of(
                "Patient", Json.MAPPER.readTree("{\"name\":\"Ana Paula Souza\"}"),
                "Appointment", Json.MAPPER.readTree("{\"start\":\"2026-12-03T17:30:00Z\"}"),
                "Procedure", Json.MAPPER.readTree("{\"name\":\"Limpeza de pele\"}"));
        OutboundMessage wa = t.render("m1", Channel.WHATSAPP, "+5511991214283", records, ZoneId.of("America/Sao_Paulo"));
        assertThat(wa.text()).isEqualTo("Olá, Ana! Limpeza de pele em 03/12/2026 às 14:30.");
        assertThat(wa.template().name()).isEqualTo("ponte_lembrete");
        assertThat(wa.template().parameters()).containsExactly("Ana", "14:30");
        assertThat(wa.template().buttons()).containsExactly("CONFIRM", "CANCEL");
        OutboundMessage sms = t.render("m1", Channel.SMS, "+5511991214283", records, ZoneId.of("America/Sao_Paulo"));
        assertThat(sms.template()).as("only WhatsApp gets the provider's template form").isNull();
        assertThat(sms.text()).isEqualTo(wa.text());
    }

    @Test
    void everyProblemIsReportedWithFileLineAndANearMiss() throws Exception {
        write("reminder.pt-BR.yaml", """
                purpose: remindr
                text: |
                  Olá, {{Patient.nmae}}!
                  Dia {{Appointment.start|dat}} com {{Charge.amount}}.
                whatsap: {}
                """);
        assertThatThrownBy(() -> new TemplateLoader(GLOSSARY).loadFolder(dir))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    List<String> all = e.problems().stream().map(MappingProblem::toString).toList();
                    assertThat(all).anySatisfy(p -> assertThat(p).contains("reminder.pt-BR.yaml:1: purpose")
                            .contains("did you mean reminder?"));
                    assertThat(all).anySatisfy(p -> assertThat(p).contains(":3: text")
                            .contains("{{Patient.nmae}} is not a glossary field").contains("Patient.name"));
                    assertThat(all).anySatisfy(p -> assertThat(p).contains(":4: text").contains("no filter 'dat'")
                            .contains("did you mean date?"));
                    assertThat(all).anySatisfy(p -> assertThat(p).contains(":4: text").contains("Charge.amount"));
                    assertThat(all).anySatisfy(p -> assertThat(p).contains(":5: whatsap").contains("unknown key")
                            .contains("did you mean whatsapp?"));
                });
    }

    @Test
    void healthDataIsRefusedUnlessTheGlossaryAllowsItOnTheTemplatesChannels() throws Exception {
        write("free.pt-BR.yaml", """
                purpose: free
                text: "Observações: {{Appointment.notes}}"
                """);
        // Appointment.notes is health data in the glossary, with no templateChannels
        assertThatThrownBy(() -> new TemplateLoader(GLOSSARY).loadFolder(dir))
                .isInstanceOfSatisfying(TemplateException.class, e -> assertThat(e.problems().get(0).toString())
                        .contains("free.pt-BR.yaml:2").contains("health data").contains("WHATSAPP"));
    }

    @Test
    void aFileThatIsNotATemplateIsRefusedCleanly() throws Exception {
        write("reminder.pt-BR.yaml", "purpose: [unclosed\n");
        write("Bad Name.yaml", "purpose: free\ntext: x\n");
        Files.write(dir.resolve("latin1.pt-BR.yaml"), "text: \"Ol\u00e1\"\npurpose: free\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        write("bomb.pt-BR.yaml", "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: &d [*c, *c, *c]\n"
                + "e: &e [*d, *d, *d]\nf: &f [*e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f]\n");
        assertThatThrownBy(() -> new TemplateLoader(GLOSSARY).loadFolder(dir))
                .isInstanceOfSatisfying(TemplateException.class, e -> {
                    String all = e.getMessage();
                    assertThat(all).contains("reminder.pt-BR.yaml:").contains("not valid YAML");
                    assertThat(all).contains("Bad Name.yaml:0: file name");
                    assertThat(all).contains("latin1.pt-BR.yaml:0: file: not UTF-8");
                    assertThat(all).contains("bomb.pt-BR.yaml");
                });
    }
}
