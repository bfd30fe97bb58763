package dev.ponte.fiscal;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FiscalTriggerSettingsTest {

    static final FiscalTriggerSettings.Issuer ISSUER = new FiscalTriggerSettings.Issuer("nfse", "11.222.333/0001-81",
            "900");

    @Test
    void withoutAFiscalConnectorItIsOff() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of(), null);
        assertThat(s.problems()).isEmpty();
        assertThat(s.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.OFF);
        assertThat(s.series()).isEqualTo("1");
        assertThat(s.firstNumber()).isEqualTo(1);
        assertThat(s.issuerCnpj()).isNull();
        assertThat(s.enabled()).as("no issuer: no invoicing").isFalse();
    }

    @Test
    void aFiscalConnectorTurnsItOnOnPaymentWithItsIssuerAndSeries() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of(), ISSUER);
        assertThat(s.problems()).isEmpty();
        assertThat(s.enabled()).isTrue();
        assertThat(s.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.ON_PAYMENT);
        assertThat(s.issuerCnpj()).as("mask removed").isEqualTo("11222333000181");
        assertThat(s.series()).isEqualTo("900");
        FiscalTriggerSettings attendance = FiscalTriggerSettings.from(Map.of("ponte.fiscal.trigger", "on-attendance",
                "ponte.fiscal.next-number", "1001"), ISSUER);
        assertThat(attendance.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.ON_ATTENDANCE);
        assertThat(attendance.firstNumber()).isEqualTo(1001);
        assertThat(FiscalTriggerSettings.from(Map.of("ponte.fiscal.trigger", "OFF"), ISSUER).enabled()).as("off")
                .isFalse();
    }

    @Test
    void everyWrongKeyIsNamed() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of("ponte.fiscal.trigger", "on-sale",
                "ponte.fiscal.next-number", "0"), ISSUER);
        assertThat(s.problems()).containsExactly(
                "ponte.fiscal.trigger: 'on-sale' is not one of on-payment (the default with a fiscal connector), "
                        + "on-attendance, off",
                "ponte.fiscal.next-number: '0' must be a whole number from 1 to 999999999999999 (default 1)");
        assertThat(s.enabled()).isFalse();
    }

    @Test
    void aTriggerWithoutAFiscalConnectorAndTheKeysOfEarlierVersionsSayWhatToDo() {
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of("ponte.fiscal.trigger", "on-payment",
                "ponte.fiscal.issuer.cnpj", "11222333000181"), null);
        assertThat(s.problems()).containsExactly(
                "ponte.fiscal.issuer.cnpj: the clinic's fiscal settings belong to the fiscal connector now; write it "
                        + "as ponte.connectors.<name>.issuer-cnpj of an instance with type=nfse-nacional (README "
                        + "\"Invoices\")",
                "ponte.fiscal.trigger: on-payment needs a fiscal connector to issue the invoices: configure an "
                        + "instance ponte.connectors.<name>.type=nfse-nacional (README \"Invoices\"), or set off");
        assertThat(FiscalTriggerSettings.from(Map.of("ponte.fiscal.series", "2"), ISSUER).problems()).singleElement()
                .asString().startsWith("ponte.fiscal.series: the clinic's fiscal settings belong to the fiscal "
                        + "connector now; write it as ponte.connectors.nfse.series (README");
    }
}
