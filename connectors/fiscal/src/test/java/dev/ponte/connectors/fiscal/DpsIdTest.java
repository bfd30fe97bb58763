package dev.ponte.connectors.fiscal;

import dev.ponte.connectors.fiscal.DpsId.RegistrationType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsIdTest {

    @Test
    void cnpjIssuerPadsSeriesAndNumber() {
        DpsId id = DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "1", 42);
        // DPS + 3550308 + 2 + 11222333000181 + 00001 + 000000000000042
        assertThat(id.value()).isEqualTo("DPS3550308211222333000181" + "00001" + "000000000000042").hasSize(45);
    }

    @Test
    void cpfIssuerIsLeftPaddedTo14() {
        DpsId id = DpsId.of("3304557", RegistrationType.CPF, "12345678909", "900", 6);
        assertThat(id.value()).isEqualTo("DPS3304557" + "1" + "00012345678909" + "00900" + "000000000000006");
    }

    @Test
    void largestNumberFillsTheField() {
        assertThat(DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "99999", 999_999_999_999_999L)
                .value()).endsWith("99999" + "999999999999999");
    }

    @Test
    void parsesTheIdOfTheSharedSample() {
        DpsId id = DpsId.parse("DPS140015920176113500013200900000000000000006");
        assertThat(id.municipalityCode()).isEqualTo("1400159");
        assertThat(id.registrationType()).isEqualTo(RegistrationType.CNPJ);
        assertThat(id.registration()).isEqualTo("01761135000132");
        assertThat(id.series()).isEqualTo("00900");
        assertThat(id.number()).isEqualTo(6);
        assertThat(id.value()).isEqualTo("DPS140015920176113500013200900000000000000006");
    }

    @Test
    void parseIsTheReverseOfOfForACpf() {
        DpsId id = DpsId.of("3304557", RegistrationType.CPF, "12345678909", "7", 123);
        DpsId back = DpsId.parse(id.value());
        assertThat(back.registrationType()).isEqualTo(RegistrationType.CPF);
        assertThat(back.registration()).isEqualTo("12345678909");
        assertThat(back.number()).isEqualTo(123);
        assertThat(back.value()).isEqualTo(id.value());
    }

    @Test
    void eachPartIsCheckedAndNamed() {
        assertThatThrownBy(() -> DpsId.of("355030", RegistrationType.CNPJ, "11222333000181", "1", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("municipality code")
                .hasMessageContaining("7 digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "1122233300018", "1", 1))
                .hasMessageContaining("CNPJ of the issuer").hasMessageContaining("14 digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "12ABC34501DE35", "1", 1))
                .hasMessageContaining("CNPJ of the issuer").hasMessageContaining("non-digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CPF, "11222333000181", "1", 1))
                .hasMessageContaining("CPF of the issuer").hasMessageContaining("11 digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "123456", 1))
                .hasMessageContaining("series").hasMessageContaining("1 to 5 digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "A1", 1))
                .hasMessageContaining("series");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "1", 0))
                .hasMessageContaining("number").hasMessageContaining("15 digits");
        assertThatThrownBy(() -> DpsId.of("3550308", RegistrationType.CNPJ, "11222333000181", "1",
                1_000_000_000_000_000L)).hasMessageContaining("number");
    }

    @Test
    void parseRefusesMalformedIds() {
        assertThatThrownBy(() -> DpsId.parse("DPS35503082")).hasMessageContaining("45 characters");
        assertThatThrownBy(() -> DpsId.parse("NFS140015920176113500013200900000000000000006"))
                .hasMessageContaining("'DPS'");
        assertThatThrownBy(() -> DpsId.parse("DPS140015930176113500013200900000000000000006"))
                .hasMessageContaining("registration type");
        assertThatThrownBy(() -> DpsId.parse("DPS140015910176113500013200900000000000000006"))
                .hasMessageContaining("leading zeros");
        assertThatThrownBy(() -> DpsId.parse("DPS140015920176113500013200900000000000000000"))
                .hasMessageContaining("number");
    }

    @Test
    void taxIdCheckDigits() {
        assertThat(TaxIds.isValidCnpj("11222333000181")).isTrue();
        assertThat(TaxIds.isValidCnpj("01761135000132")).isTrue();
        assertThat(TaxIds.isValidCnpj("11222333000182")).isFalse();
        assertThat(TaxIds.isValidCnpj("11111111111111")).isFalse();
        assertThat(TaxIds.isValidCpf("12345678909")).isTrue();
        assertThat(TaxIds.isValidCpf("12345678900")).isFalse();
        assertThat(TaxIds.isValidCpf("00000000000")).isFalse();
    }

    @Test
    void nationalTaxCodeFromTheLc116Item() {
        assertThat(NationalTaxCode.fromServiceItem("06.02", "01").value()).isEqualTo("060201");
        assertThat(NationalTaxCode.fromServiceItem("6.02", "01").value()).isEqualTo("060201");
        assertThat(NationalTaxCode.fromServiceItem("04.03", "02").value()).isEqualTo("040302");
        assertThatThrownBy(() -> NationalTaxCode.fromServiceItem("0602", "01")).hasMessageContaining("NN.NN");
        assertThatThrownBy(() -> NationalTaxCode.fromServiceItem("06.02", "1")).hasMessageContaining("2 digits");
    }
}
