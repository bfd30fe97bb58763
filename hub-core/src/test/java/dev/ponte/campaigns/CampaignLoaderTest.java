package dev.ponte.campaigns;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Campaign files are checked on load: every problem with file, line and key; the shipped ones load. */
class CampaignLoaderTest {

    @TempDir
    Path dir;
    TemplateSet templates;

    private static final String GOOD = """
            campaign: retouch
            version: 2
            trigger:
              days-after-procedure: {procedure: P003, days: 120}
            template: botox-retouch
            channels: [sms, whatsapp]
            window: {days: [MON, FRI], from: "10:00", to: "16:30"}
            """;

    @BeforeEach
    void templates() {
        templates = new TemplateLoader(Glossary.load(Path.of("../mappings/glossary.yaml")))
                .loadFolder(Path.of("../mappings/templates"));
    }

    private CampaignLoader loader(Set<String> procedures) {
        return new CampaignLoader(templates, "pt-BR", procedures);
    }

    private Path write(String name, String yaml) throws Exception {
        return Files.writeString(dir.resolve(name), yaml);
    }

    private List<MappingProblem> problems(String name, String yaml, Set<String> procedures) throws Exception {
        Path f = write(name, yaml);
        return catchThrowableOfType(() -> loader(procedures).loadFile(f), CampaignException.class).problems();
    }

    @Test
    void theShippedCampaignsLoadAgainstTheShippedTemplates() {
        var all = loader(Set.of("P003")).loadFolder(Path.of("../mappings/campaigns"));
        assertThat(all).containsOnlyKeys("botox-retouch", "birthday");
        Campaign botox = all.get("botox-retouch");
        assertThat(botox.trigger()).isEqualTo(new Campaign.DaysAfterProcedure("P003", null, 120, 7));
        assertThat(botox.audience().minAge()).isEqualTo(18);
        assertThat(all.get("birthday").trigger()).isInstanceOf(Campaign.Birthday.class);
        assertThat(all.get("birthday").audience().excludeWithFutureAppointment()).isFalse();
    }

    @Test
    void aGoodFileGivesEveryValueAndTheDefaults() throws Exception {
        Campaign c = loader(Set.of("P003")).loadFile(write("retouch.yaml", GOOD));
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.channels()).containsExactly(Channel.SMS, Channel.WHATSAPP);
        assertThat(c.window()).isEqualTo(new SendWindow(Set.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                LocalTime.of(10, 0), LocalTime.of(16, 30)));
        assertThat(c.cadenceDays()).isEqualTo(CampaignLoader.CADENCE_DAYS);
        assertThat(c.bookedWithinDays()).isEqualTo(CampaignLoader.BOOKED_WITHIN_DAYS);
        assertThat(c.audience()).isEqualTo(Campaign.Audience.everyone());
    }

    @Test
    void anUnknownKeyIsNamedWithItsLineAndTheNearestKnownOne() throws Exception {
        List<MappingProblem> p = problems("retouch.yaml", GOOD.replace("channels:", "chanels:")
                + "audience: {min-age: 18, exclude-future: true}\n", null);
        assertThat(p).extracting(MappingProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("retouch.yaml:6: chanels: unknown key").contains("did you mean channels?"));
        assertThat(p).extracting(MappingProblem::toString).anySatisfy(s -> assertThat(s)
                .contains("retouch.yaml:8: audience.exclude-future: unknown key"));
    }

    @Test
    void anUnknownTemplateOrOneThatIsNotARecallIsRefused() throws Exception {
        assertThat(problems("retouch.yaml", GOOD.replace("template: botox-retouch", "template: botox-retuch"), null))
                .extracting(MappingProblem::toString).singleElement().satisfies(s -> assertThat(s)
                        .contains("retouch.yaml:5: template: no template 'botox-retuch' in pt-BR")
                        .contains("did you mean botox-retouch?"));
        assertThat(problems("retouch.yaml", GOOD.replace("template: botox-retouch", "template: reminder"), null))
                .extracting(MappingProblem::toString).singleElement().satisfies(s -> assertThat(s)
                        .contains("retouch.yaml:5: template: 'reminder' is a reminder template"));
    }

    @Test
    void badWindowsAreRefusedWithTheirKey() throws Exception {
        List<MappingProblem> p = problems("retouch.yaml", GOOD.replace("window: {days: [MON, FRI], from: \"10:00\", "
                + "to: \"16:30\"}", "window: {days: [MON, FRX], from: \"18:00\", to: \"9h\"}"), null);
        assertThat(p).extracting(MappingProblem::field).containsExactlyInAnyOrder("window.days", "window.to");
        assertThat(p).extracting(MappingProblem::line).containsOnly(7);
        List<MappingProblem> reversed = problems("retouch.yaml", GOOD.replace("from: \"10:00\"", "from: \"17:00\"")
                .replace("to: \"16:30\"", "to: \"08:00\""), null);
        assertThat(reversed).extracting(MappingProblem::toString).singleElement()
                .satisfies(s -> assertThat(s).contains("window.to: must be after window.from (17:00)"));
    }

    @Test
    void wrongTypesUnknownValuesAndProceduresAreRefused() throws Exception {
        List<MappingProblem> p = problems("retouch.yaml", """
                campaign: retouch
                version: one
                trigger:
                  days-after-procedure: {procedure: P999, days: 120}
                audience: {min-age: 40, max-age: 30, sex: [FEMALE, WOMAN], exclude-with-future-appointment: yes}
                template: botox-retouch
                channels: [whatsapp, telegram]
                cadence: {once-per-patient-days: -1}
                """, Set.of("P003", "P004"));
        assertThat(p).extracting(MappingProblem::field).containsExactlyInAnyOrder("version",
                "trigger.days-after-procedure.procedure", "audience.max-age", "audience.sex",
                "audience.exclude-with-future-appointment", "channels", "cadence.once-per-patient-days");
        assertThat(p).extracting(MappingProblem::toString).anySatisfy(s -> assertThat(s)
                .contains(":4: trigger.days-after-procedure.procedure: no procedure 'P999' in the hub's catalog"));
        assertThat(p).extracting(MappingProblem::toString).anySatisfy(s -> assertThat(s)
                .contains(":7: channels: 'telegram' is not one of [whatsapp, sms, email]"));
    }

    @Test
    void aTriggerIsExactlyOneKindAndTheFileNameIsTheCampaign() throws Exception {
        assertThat(problems("retouch.yaml", GOOD.replace("days-after-procedure: {procedure: P003, days: 120}",
                "days-after-procedure: {procedure: P003, kind: SERVICE, days: 120}"), null))
                .extracting(MappingProblem::field).containsExactly("trigger.days-after-procedure.procedure");
        assertThat(problems("retouch.yaml", GOOD.replace("  days-after-procedure: {procedure: P003, days: 120}",
                "  birthday: {}\n  no-visit: {days: 10}"), null))
                .extracting(MappingProblem::field).containsExactly("trigger");
        assertThat(problems("other.yaml", GOOD, null)).extracting(MappingProblem::toString).singleElement()
                .satisfies(s -> assertThat(s).contains("other.yaml:1: campaign: 'retouch' must be the file's name"));
    }

    @Test
    void hostileYamlBuildsNothing() throws Exception {
        Path f = write("retouch.yaml", GOOD + "description: !!javax.script.ScriptEngineManager [x]\n");
        assertThatThrownBy(() -> loader(null).loadFile(f)).isInstanceOf(CampaignException.class)
                .hasMessageContaining("retouch.yaml:8: yaml: not valid YAML: Global tag is not allowed");
        Path dup = write("retouch.yaml", GOOD + "version: 3\n");
        assertThatThrownBy(() -> loader(null).loadFile(dup)).isInstanceOf(CampaignException.class)
                .hasMessageContaining("retouch.yaml:8: version: given twice (also on line 2)");
        Path big = write("retouch.yaml", GOOD + "description: \"" + "x".repeat(70_000) + "\"\n");
        assertThatThrownBy(() -> loader(null).loadFile(big)).isInstanceOf(CampaignException.class)
                .hasMessageContaining("larger than 64 KiB");
    }
}
