package dev.ponte.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectorsCommandTest {

    @Test
    void everyTypeWithItsOptionsValidatorsDefaultsAndRules() {
        CliRun run = CliRun.of("connectors");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("legacy-csv 0.2 (both)", "legacy-jdbc", "http-webhook", "google-calendar")
                .contains("  chunk-size (int, from 1 to 10000, default 500): Rows per message to the hub")
                .contains("  signing-secret (string, at least 16 characters, required, secret)")
                .contains("  time-zone (string, a time-zone id such as America/Sao_Paulo, default America/Sao_Paulo)")
                .contains("  rule on channel-token, push-address: required with push-address, so that forged "
                        + "notifications can be refused");
    }

    @Test
    void oneTypeOrANamedError() {
        CliRun one = CliRun.of("connectors", "http-webhook");
        assertThat(one.out()).contains("http-webhook").doesNotContain("legacy-csv");
        CliRun none = CliRun.of("connectors", "telegram");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).startsWith("no connector type 'telegram' (types: email, google-calendar, http-webhook, legacy-csv, "
                + "legacy-jdbc, nfe-sefaz, nfse-nacional, sms, whatsapp)");
    }
}
