package dev.ponte.connectors.sms;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The small pure parts of the HTTP providers: the form codec, the scrubbing of providers' texts (the send rate: SendRateTest in hub-core). */
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
}
