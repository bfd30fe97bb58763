package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AccessKeyTest {

    private static final String FIRST_43 = "3526010691671400012055001000001245144039674";

    @Test
    void theCheckDigitOfTheVectorIsThree() {
        assertThat(AccessKey.checkDigit(FIRST_43)).isEqualTo(3);
    }

    @Test
    void ofBuildsTheVectorFromItsParts() {
        AccessKey key = AccessKey.of(35, "2601", "06916714000120", 55, 1, 1245, 1, 44039674);

        assertThat(key.value()).isEqualTo(FIRST_43 + "3").hasSize(44).endsWith("3");
        assertThat(key.cDV()).isEqualTo(3);
        assertThat(key.infNFeId()).isEqualTo("NFe" + FIRST_43 + "3");
        assertThat(key.cUF()).isEqualTo("35");
        assertThat(key.aamm()).isEqualTo("2601");
        assertThat(key.cnpj()).isEqualTo("06916714000120");
        assertThat(key.mod()).isEqualTo("55");
        assertThat(key.serie()).isEqualTo("001");
        assertThat(key.nNF()).isEqualTo("000001245");
        assertThat(key.tpEmis()).isEqualTo("1");
        assertThat(key.cNF()).isEqualTo("44039674");
    }

    @Test
    void parseAcceptsAValidKeyWithOrWithoutThePrefix() {
        assertThat(AccessKey.parse(FIRST_43 + "3")).isEqualTo(new AccessKey(FIRST_43 + "3"));
        assertThat(AccessKey.parse("NFe" + FIRST_43 + "3").value()).isEqualTo(FIRST_43 + "3");
        // the two keys of the shared samples
        assertThat(AccessKey.parse("35180834128745000152550010000476781421693968").cnpj())
                .isEqualTo("34128745000152");
        assertThat(AccessKey.parse("41170706117473000150550010000463202612756525").cDV()).isEqualTo(5);
    }

    @Test
    void parseRefusesAWrongCheckDigitAndBadText() {
        assertThatThrownBy(() -> AccessKey.parse(FIRST_43 + "4"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("check digit").hasMessageContaining("is 4").hasMessageContaining("give 3");
        assertThatThrownBy(() -> AccessKey.parse(FIRST_43))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("44 digits");
        assertThatThrownBy(() -> AccessKey.parse(FIRST_43.substring(0, 42) + "X3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digits only")
                .hasMessageContaining("position 43");
    }

    @Test
    void checkDigitIsZeroWhenTheRemainderGivesTenOrEleven() {
        // sum mod 11 == 0 -> 11 -> 0 ; all zeros gives sum 0
        assertThat(AccessKey.checkDigit("0".repeat(43))).isZero();
        // a sum with remainder 1 -> 10 -> 0: last digit 5 with weight 2 gives 10, and 10 mod 11 = 10 -> 1;
        // digit 6 with weight 2 gives 12, 12 mod 11 = 1 -> 11 - 1 = 10 -> 0
        assertThat(AccessKey.checkDigit("0".repeat(42) + "6")).isZero();
        assertThat(AccessKey.checkDigit("0".repeat(42) + "5")).isEqualTo(1);
    }

    @Test
    void argumentsAreValidatedWithThePartNamed() {
        assertThatThrownBy(() -> AccessKey.of(99, "2601", "06916714000120", 55, 1, 1245, 1, 44039674))
                .hasMessageContaining("cUF");
        assertThatThrownBy(() -> AccessKey.of(35, "2613", "06916714000120", 55, 1, 1245, 1, 44039674))
                .hasMessageContaining("AAMM").hasMessageContaining("month 13");
        assertThatThrownBy(() -> AccessKey.of(35, "26O1", "06916714000120", 55, 1, 1245, 1, 44039674))
                .hasMessageContaining("AAMM").hasMessageContaining("digits only");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06.916.714/0001-20", 55, 1, 1245, 1, 44039674))
                .hasMessageContaining("CNPJ");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 57, 1, 1245, 1, 44039674))
                .hasMessageContaining("mod");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 55, 1000, 1245, 1, 44039674))
                .hasMessageContaining("serie");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 55, 1, 0, 1, 44039674))
                .hasMessageContaining("nNF");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 55, 1, 1_000_000_000L, 1, 44039674))
                .hasMessageContaining("nNF");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 55, 1, 1245, 0, 44039674))
                .hasMessageContaining("tpEmis");
        assertThatThrownBy(() -> AccessKey.of(35, "2601", "06916714000120", 55, 1, 1245, 1, 100_000_000))
                .hasMessageContaining("cNF");
        assertThatThrownBy(() -> AccessKey.checkDigit("123"))
                .hasMessageContaining("first 43 digits").hasMessageContaining("43 digits");
    }
}
