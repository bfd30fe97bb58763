package dev.ponte.validation.br;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class PhonesTest {

    @ParameterizedTest
    @CsvSource({"'(11) 99121-4283',+5511991214283", "'(19) 3664-7955',+551936647955", "11991214283,+5511991214283",
            "'+55 21 98821-5379',+5521988215379", "'055 11 99121 4283',+5511991214283"})
    void normalizesBrazilianNumbersToE164(String raw, String e164) {
        assertThat(Phones.toE164(raw, null)).contains(e164);
    }

    @Test
    void defaultAreaCodeCompletesLocalNumbers() {
        assertThat(Phones.toE164("99121-4283", "11")).contains("+5511991214283");
        assertThat(Phones.toE164("99121-4283", null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(61) 1234", "abc", "(00) 99121-4283", ""})
    void refusesWhatIsNotAPhoneNumber(String raw) {
        assertThat(Phones.toE164(raw, null)).isEmpty();
    }

    @Test
    void recognizesE164() {
        assertThat(Phones.isE164("+5511991214283")).isTrue();
        assertThat(Phones.isE164("5511991214283")).isFalse();
        assertThat(Phones.isE164("+55119912")).isFalse();
    }
}
