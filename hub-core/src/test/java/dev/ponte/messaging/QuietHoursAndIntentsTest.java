package dev.ponte.messaging;

import dev.ponte.spi.MessageEvents.Intent;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class QuietHoursAndIntentsTest {

    private static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    private final QuietHours quiet = new QuietHours(LocalTime.of(20, 0), LocalTime.of(8, 0), Set.of(DayOfWeek.SUNDAY), SP);

    private static Instant at(String local) {
        return ZonedDateTime.of(java.time.LocalDateTime.parse(local), SP).toInstant();
    }

    @Test
    void aMessageDueInTheQuietHoursGoesAtTheNextAllowedTimeInTheClinicZone() {
        assertThat(quiet.isQuiet(at("2026-12-02T14:00"))).isFalse(); // a Wednesday afternoon
        assertThat(quiet.nextAllowed(at("2026-12-02T14:00"))).isEqualTo(at("2026-12-02T14:00"));
        assertThat(quiet.nextAllowed(at("2026-12-02T21:15"))).isEqualTo(at("2026-12-03T08:00"));
        assertThat(quiet.nextAllowed(at("2026-12-03T03:00"))).isEqualTo(at("2026-12-03T08:00"));
        // Saturday night → Sunday is quiet all day → Monday 08:00
        assertThat(quiet.nextAllowed(at("2026-12-05T22:00"))).isEqualTo(at("2026-12-07T08:00"));
        assertThat(quiet.nextAllowed(at("2026-12-06T12:00"))).isEqualTo(at("2026-12-07T08:00"));
        assertThat(quiet.isQuiet(at("2026-12-07T08:00"))).isFalse();
        assertThat(quiet.isQuiet(at("2026-12-07T07:59"))).isTrue();
    }

    @Test
    void quietHoursWithinADayAndNoneAtAll() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0), Set.of(), SP);
        assertThat(lunch.nextAllowed(at("2026-12-02T12:30"))).isEqualTo(at("2026-12-02T14:00"));
        assertThat(lunch.isQuiet(at("2026-12-02T14:00"))).isFalse();
        QuietHours none = new QuietHours(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of(), SP);
        assertThat(none.isQuiet(at("2026-12-02T03:00"))).isFalse();
    }

    @Test
    void repliesAreClassifiedByTheConfiguredWordsOnlyNeverGuessed() {
        Intents intents = new Intents(MessagingSettings.defaults().keywords());
        assertThat(intents.classify("1", null)).isEqualTo(Intent.CONFIRM);
        assertThat(intents.classify(" Sim! ", null)).isEqualTo(Intent.CONFIRM);
        assertThat(intents.classify("CONFIRMO", null)).isEqualTo(Intent.CONFIRM);
        assertThat(intents.classify(null, "CONFIRM")).isEqualTo(Intent.CONFIRM);
        assertThat(intents.classify("2", null)).isEqualTo(Intent.CANCEL);
        assertThat(intents.classify("Não", null)).isEqualTo(Intent.CANCEL);
        assertThat(intents.classify("remarcar", null)).isEqualTo(Intent.RESCHEDULE);
        assertThat(intents.classify("sim, mas posso chegar 10 min atrasada?", null)).isEqualTo(Intent.UNKNOWN);
        assertThat(intents.classify("12", null)).isEqualTo(Intent.UNKNOWN);
        assertThat(intents.classify(null, null)).isEqualTo(Intent.UNKNOWN);
    }

    @Test
    void settingsNameEveryWrongKey() {
        MessagingSettings s = MessagingSettings.from(java.util.Map.of(
                "ponte.messaging.channels", "whatsapp,telegram",
                "ponte.messaging.quiet-hours", "8pm-8am",
                "ponte.messaging.quiet-days", "DOMINGO",
                "ponte.messaging.cadence.recal", "2/7d",
                "ponte.messaging.cadence.recall", "two a week",
                "ponte.flows.reminders.lead-times", "48h,soon",
                "ponte.messaging.zone", "Mars/Olympus"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.channels: 'telegram'"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.quiet-hours: '8pm-8am'"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.quiet-days: 'DOMINGO'"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.cadence.recal: no such"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.cadence.recall: 'two"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.flows.reminders.lead-times: 'soon'"));
        assertThat(s.problems()).anySatisfy(p -> assertThat(p).startsWith("ponte.messaging.zone: 'Mars/Olympus'"));
        assertThat(MessagingSettings.defaults().problems()).isEmpty();
        assertThat(MessagingSettings.defaults().leadTimes()).extracting(MessagingSettings::format)
                .containsExactly("48h", "2h");
    }
}
