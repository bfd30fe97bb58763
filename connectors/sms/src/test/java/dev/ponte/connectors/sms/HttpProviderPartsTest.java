package dev.ponte.connectors.sms;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small pure parts of the HTTP providers: the form codec, the scrubbing of providers' texts, the throttle. */
class HttpProviderPartsTest {

    @Test
    void aFormRoundTripsInUtf8() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("To", "+5511991214283");
        fields.put("Body", "Olá & até já = sim\n✓");
        String encoded = FormBody.encode(fields);
        assertThat(encoded).startsWith("To=%2B5511991214283&Body=Ol%C3%A1+%26+at%C3%A9");
        assertThat(FormBody.decode(encoded)).containsExactly(Map.entry("Body", List.of("Olá & até já = sim\n✓")),
                Map.entry("To", List.of("+5511991214283")));
        assertThat(FormBody.decode("a=1&&a=2&b")).containsExactly(Map.entry("a", List.of("1", "2")),
                Map.entry("b", List.of("")));
        assertThatThrownBy(() -> FormBody.decode("a=%G1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void phoneNumbersAreRemovedFromProvidersTexts() {
        assertThat(ProviderText.scrub("The 'To' number +5511991214283 is not a valid phone number."))
                .isEqualTo("The 'To' number <number> is not a valid phone number.");
        assertThat(ProviderText.scrub("Destino (11) 99121-4283 inválido")).isEqualTo("Destino <number> inválido");
        assertThat(ProviderText.scrub("exceeds the 1600 character limit")).isEqualTo(
                "exceeds the 1600 character limit");
        assertThat(ProviderText.scrub("  ")).isNull();
        assertThat(ProviderText.scrub("x".repeat(300))).hasSize(201);
    }

    @Test
    void theThrottleLetsABurstThroughThenWaitsForTheOldestToLeaveTheWindow() throws Exception {
        AtomicLong now = new AtomicLong(10_000);
        List<Long> waits = new ArrayList<>();
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        Throughput throttle = new Throughput(3, clock, millis -> {
            waits.add(millis);
            now.addAndGet(millis);
        });
        for (int i = 0; i < 3; i++) {
            throttle.acquire();
        }
        assertThat(waits).isEmpty();
        now.addAndGet(400);
        throttle.acquire();
        assertThat(waits).containsExactly(601L);
        assertThat(now.get()).isEqualTo(11_001);
    }
}
