package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NfeSettingsTest {

    static NfeSettings with(String cnpj, String ie, String municipality, String uf, String postalCode, String series,
                            String cfop) {
        return new NfeSettings(cnpj, ie, "Clinica Bela Estetica Ltda", "Rua Augusta", "1500", "Consolacao",
                municipality, "Sao Paulo", uf, postalCode, NfeSettings.Crt.SIMPLES_NACIONAL, series,
                Dps.Environment.HOMOLOGATION, null, cfop);
    }

    static NfeSettings valid() {
        return with("12345678000195", "110042490114", "3550308", "SP", "01304001", "1", null);
    }

    @Test
    void defaultsAreTheSaoPauloZoneAndCfop5102() {
        NfeSettings s = valid();
        assertThat(s.zone()).isEqualTo(ZoneId.of("America/Sao_Paulo"));
        assertThat(s.cfop()).isEqualTo("5102");
        assertThat(s.cUF()).isEqualTo(35);
        assertThat(with("12345678000195", "ISENTO", "3550308", "SP", "01304001", "999", "5405").cfop())
                .isEqualTo("5405");
        assertThat(NfeSettings.Crt.SIMPLES_NACIONAL.code()).isEqualTo("1");
        assertThat(NfeSettings.Crt.SIMPLES_EXCESS.code()).isEqualTo("2");
        assertThat(NfeSettings.Crt.NORMAL.code()).isEqualTo("3");
    }

    @Test
    void cUFIsTheIbgeCodeOfEveryState() {
        Map<String, Integer> codes = Map.ofEntries(Map.entry("RO", 11), Map.entry("AC", 12), Map.entry("AM", 13),
                Map.entry("RR", 14), Map.entry("PA", 15), Map.entry("AP", 16), Map.entry("TO", 17),
                Map.entry("MA", 21), Map.entry("PI", 22), Map.entry("CE", 23), Map.entry("RN", 24),
                Map.entry("PB", 25), Map.entry("PE", 26), Map.entry("AL", 27), Map.entry("SE", 28),
                Map.entry("BA", 29), Map.entry("MG", 31), Map.entry("ES", 32), Map.entry("RJ", 33),
                Map.entry("SP", 35), Map.entry("PR", 41), Map.entry("SC", 42), Map.entry("RS", 43),
                Map.entry("MS", 50), Map.entry("MT", 51), Map.entry("GO", 52), Map.entry("DF", 53));
        assertThat(codes).hasSize(27);
        codes.forEach((uf, code) -> assertThat(with("12345678000195", "ISENTO", code + "00001", uf, "01304001", "1",
                null).cUF()).as(uf).isEqualTo(code));
    }

    @Test
    void wrongSettingsNameTheNfeElement() {
        assertThatThrownBy(() -> with("12345678000196", "110042490114", "3550308", "SP", "01304001", "1", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("emit/CNPJ (cnpj)");
        assertThatThrownBy(() -> with("12345678000195", "110.042.490.114", "3550308", "SP", "01304001", "1", null))
                .hasMessageStartingWith("emit/IE (stateRegistration)");
        assertThatThrownBy(() -> with("12345678000195", "110042490114", "3304557", "SP", "01304001", "1", null))
                .hasMessageStartingWith("enderEmit/cMun (municipalityCode)").hasMessageContaining("starts with 35");
        assertThatThrownBy(() -> with("12345678000195", "110042490114", "3550308", "EX", "01304001", "1", null))
                .hasMessageStartingWith("enderEmit/UF (uf)");
        assertThatThrownBy(() -> with("12345678000195", "110042490114", "3550308", "SP", "01304-001", "1", null))
                .hasMessageStartingWith("enderEmit/CEP (postalCode)");
        assertThatThrownBy(() -> with("12345678000195", "110042490114", "3550308", "SP", "01304001", "001", null))
                .hasMessageStartingWith("ide/serie (series)");
        assertThatThrownBy(() -> with("12345678000195", "110042490114", "3550308", "SP", "01304001", "1", "6102"))
                .hasMessageStartingWith("det/prod/CFOP (cfop)");
        assertThatThrownBy(() -> new NfeSettings("12345678000195", "ISENTO", "C", "Rua Augusta", "1500",
                "Consolacao", "3550308", "Sao Paulo", "SP", "01304001", NfeSettings.Crt.SIMPLES_NACIONAL, "1",
                Dps.Environment.HOMOLOGATION, null, null)).hasMessageStartingWith("emit/xNome (legalName)");
        assertThatThrownBy(() -> new NfeSettings("12345678000195", "ISENTO", "Clinica", "Rua Augusta", "1500",
                "Consolacao", "3550308", "Sao Paulo", "SP", "01304001", null, "1", Dps.Environment.HOMOLOGATION,
                null, null)).hasMessageStartingWith("emit/CRT (crt)");
        assertThatThrownBy(() -> new NfeSettings("12345678000195", "ISENTO", "Clinica", "Rua Augusta", "1500",
                "Consolacao", "3550308", "Sao Paulo", "SP", "01304001", NfeSettings.Crt.SIMPLES_NACIONAL, "1", null,
                null, null)).hasMessageStartingWith("ide/tpAmb (environment)");
    }
}
