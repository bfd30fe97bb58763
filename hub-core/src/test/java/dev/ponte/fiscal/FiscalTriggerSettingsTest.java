package dev.ponte.fiscal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fiscal trigger's settings: defaults, and a problem naming each wrong key. */
class FiscalTriggerSettingsTest {

    @Test
    void defaultsAreOffSeriesOneAndNoInvoicingWithoutAnIssuer() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of());
        assertThat(s.problems()).isEmpty();
        assertThat(s.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.OFF);
        assertThat(s.series()).isEqualTo("1");
        assertThat(s.firstNumber()).isEqualTo(1);
        assertThat(s.issuerCnpj()).isNull();
        assertThat(s.enabled()).as("no issuer CNPJ: no invoicing").isFalse();
    }

    @Test
    void aConfiguredIssuerTurnsItOnWithTheMaskRemoved() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of("ponte.fiscal.issuer.cnpj", "11.222.333/0001-81",
                "ponte.fiscal.trigger", "on-attendance", "ponte.fiscal.series", "900",
                "ponte.fiscal.next-number", "1001"));
        assertThat(s.problems()).isEmpty();
        assertThat(s.enabled()).isTrue();
        assertThat(s.issuerCnpj()).isEqualTo("11222333000181");
        assertThat(s.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.ON_ATTENDANCE);
        assertThat(s.series()).isEqualTo("900");
        assertThat(s.firstNumber()).isEqualTo(1001);
        assertThat(FiscalTriggerSettings.from(Map.of("ponte.fiscal.issuer.cnpj", "11222333000181",
                "ponte.fiscal.trigger", "OFF")).enabled()).as("off").isFalse();
    }

    @Test
    void everyWrongKeyIsNamed() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of("ponte.fiscal.trigger", "on-sale",
                "ponte.fiscal.series", "A1", "ponte.fiscal.issuer.cnpj", "11.222.333/0001-82",
                "ponte.fiscal.next-number", "0"));
        assertThat(s.problems()).containsExactly(
                "ponte.fiscal.trigger: 'on-sale' is not one of on-payment, on-attendance, off (the default)",
                "ponte.fiscal.series: 'A1' must be 1 to 5 digits (default 1)",
                "ponte.fiscal.issuer.cnpj: must be a CNPJ of 14 characters with valid check digits (a mask such as "
                        + "11.222.333/0001-81 is accepted)",
                "ponte.fiscal.next-number: '0' must be a whole number from 1 to 999999999999999 (default 1)");
        assertThat(s.enabled()).isFalse();
        assertThat(FiscalTriggerSettings.from(Map.of("ponte.fiscal.series", "123456")).problems()).singleElement()
                .asString().startsWith("ponte.fiscal.series:");
    }
}
