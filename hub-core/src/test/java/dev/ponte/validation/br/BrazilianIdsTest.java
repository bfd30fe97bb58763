package dev.ponte.validation.br;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class BrazilianIdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"529.982.247-25", "390.533.447-05"})
    void knownValidCpfs(String masked) {
        assertThat(BrazilianIds.cpfProblem(BrazilianIds.digitsOnly(masked))).isNull();
    }

    @ParameterizedTest
    @CsvSource({"52998224726,cpf-check-digit", "39053344715,cpf-check-digit", "11111111111,cpf-check-digit",
            "00000000000,cpf-check-digit", "5299822472,cpf-format", "529982247250,cpf-format", "5299822472a,cpf-format"})
    void invalidCpfsSayWhy(String cpf, String rule) {
        assertThat(BrazilianIds.cpfProblem(cpf)).isEqualTo(rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.222.333/0001-81", "12.ABC.345/01DE-35"})
    void knownValidCnpjsNumericAndAlphanumeric(String masked) {
        assertThat(BrazilianIds.cnpjProblem(BrazilianIds.unmaskCnpj(masked))).isNull();
    }

    @Test
    void alphanumericCnpjIsReadCaseInsensitively() {
        assertThat(BrazilianIds.unmaskCnpj("12.abc.345/01de-35")).isEqualTo("12ABC34501DE35");
    }

    @ParameterizedTest
    @CsvSource({"11222333000182,cnpj-check-digit", "12ABC34501DE36,cnpj-check-digit",
            "00000000000000,cnpj-check-digit", "1122233300018,cnpj-format", "12ABC34501DEX5,cnpj-format",
            "12abc34501de35,cnpj-format"})
    void invalidCnpjsSayWhy(String cnpj, String rule) {
        assertThat(BrazilianIds.cnpjProblem(cnpj)).isEqualTo(rule);
    }

    @Test
    void cepAndStates() {
        assertThat(BrazilianIds.isCep("13745642")).isTrue();
        assertThat(BrazilianIds.isCep("13745-642")).isFalse();
        assertThat(BrazilianIds.isCep("1374564")).isFalse();
        assertThat(BrazilianIds.isState("SP")).isTrue();
        assertThat(BrazilianIds.isState("DF")).isTrue();
        assertThat(BrazilianIds.isState("XX")).isFalse();
        assertThat(BrazilianIds.isState("sp")).isFalse();
        assertThat(BrazilianIds.STATES).hasSize(27);
    }
}
