package dev.ponte.hub;

import dev.ponte.demo.DemoClock;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Business alerts on an injected clock: raised and cleared with their events, configuration problems by key. */
class BusinessAlertsTest {

    static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");

    @TempDir
    Path dir;
    Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private BusinessAlerts alerts(Map<String, String> config, List<String> problems) {
        Map<String, String> o = new HashMap<>(config);
        HubSettings s = HubSettings.load(dir, null, o, Map.of());
        if (db == null) {
            db = PonteHub.openDatabase(s);
        }
        return BusinessAlerts.of(s, problems);
    }

    private List<CanonicalEvent> events() {
        return db.inTransaction(c -> EventOutbox.unpublished(c, 100));
    }

    @Test
    void noSyncDuringClinicHoursIsRaisedThenClearedByAnImport() {
        List<String> problems = new ArrayList<>();
        BusinessAlerts a = alerts(Map.of("ponte.alerts.legacy-silent.kind", "no-sync",
                "ponte.alerts.legacy-silent.source", "legacy-clinic", "ponte.alerts.legacy-silent.for", "2h",
                "ponte.alerts.legacy-silent.hours", "08:00-20:00"), problems);
        assertThat(problems).isEmpty();
        // a Tuesday at 07:00 in São Paulo: outside clinic hours, nothing
        DemoClock clock = new DemoClock(ZonedDateTime.of(2026, 12, 1, 7, 0, 0, 0, ZONE).toInstant(), ZONE);
        Instant lastImport = clock.instant();
        db.inTransaction(c -> {
            ImportRuns.start(c, "run-1", "legacy", "legacy-clinic", lastImport);
            return null;
        });
        a.evaluate(db, clock);
        assertThat(a.active()).isEmpty();

        clock.advance(Duration.ofHours(3)); // 10:00, the last import 3 h ago
        a.evaluate(db, clock);
        assertThat(a.active()).containsOnlyKeys("legacy-silent");
        assertThat(a.active().get("legacy-silent")).startsWith("no import of legacy-clinic for 3 h 0 min");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("alert.raised");
            assertThat(e.subject()).isEqualTo("legacy-silent");
            assertThat(e.data()).contains("\"kind\":\"no-sync\"");
        });
        a.evaluate(db, clock);
        assertThat(events()).as("raised once, not at every look").hasSize(1);

        Instant importedAgain = clock.instant();
        db.inTransaction(c -> {
            ImportRuns.start(c, "run-2", "legacy", "legacy-clinic", importedAgain);
            return null;
        });
        clock.advance(Duration.ofMinutes(1));
        a.evaluate(db, clock);
        assertThat(a.active()).isEmpty();
        assertThat(events()).extracting(CanonicalEvent::type).containsExactly("alert.raised", "alert.cleared");
    }

    @Test
    void clinicHoursOverMidnightAreHours() {
        BusinessAlerts a = alerts(Map.of("ponte.alerts.night.kind", "no-sync", "ponte.alerts.night.source",
                "night-system", "ponte.alerts.night.hours", "22:00-06:00"), new ArrayList<>());
        DemoClock clock = new DemoClock(ZonedDateTime.of(2026, 12, 1, 23, 0, 0, 0, ZONE).toInstant(), ZONE);
        a.evaluate(db, clock);
        assertThat(a.active()).as("23:00 is within 22:00-06:00").containsOnlyKeys("night");
        clock.advance(Duration.ofHours(10)); // 09:00
        a.evaluate(db, clock);
        assertThat(a.active()).isEmpty();
    }

    @Test
    void tooManyDeadLettersWithinTheWindow() {
        BusinessAlerts a = alerts(Map.of("ponte.alerts.rejections.kind", "dead-letters",
                "ponte.alerts.rejections.more-than", "1", "ponte.alerts.rejections.within", "1h"), new ArrayList<>());
        DemoClock clock = new DemoClock(Instant.parse("2026-12-01T13:00:00Z"), ZONE);
        for (int i = 0; i < 2; i++) {
            int n = i;
            db.inTransaction(c -> DeadLetters.addMessage(c, "calendar", DeadLetter.ErrorClass.PERMANENT_REMOTE,
                    "remote-refused", "test", "{}", "k" + n, "corr", clock.instant()));
        }
        a.evaluate(db, clock);
        assertThat(a.active()).containsOnlyKeys("rejections");
        assertThat(a.active().get("rejections")).isEqualTo("2 dead letters within 60 min (limit 1)");

        clock.advance(Duration.ofHours(2));
        a.evaluate(db, clock);
        assertThat(a.active()).as("older than the window").isEmpty();
    }

    @Test
    void aCertificateInItsLastDaysRaisesTheCertificateAlert() throws Exception {
        // a real PKCS#12 made by the JDK's keytool, valid for 10 days from now
        Path p12 = dir.resolve("clinica.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", "test-only-pass",
                "-alias", "clinica", "-keyalg", "RSA", "-keysize", "2048", "-validity", "10", "-dname",
                "CN=CLINICA TESTE:12345678000195, C=BR").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        BusinessAlerts a = alerts(Map.of("ponte.alerts.certificate.kind", "certificate-expiry",
                "ponte.alerts.certificate.within-days", "30"), new ArrayList<>());
        dev.ponte.spi.ConnectorDescriptor d = new dev.ponte.spi.ConnectorDescriptor("x", "1", "x",
                dev.ponte.spi.Direction.SINK, List.of(), List.of(), List.of());
        dev.ponte.spi.ConnectorConfig nfse = new dev.ponte.spi.ConnectorConfig("nfse", d, Map.of("certificate", p12,
                "certificate-password", "test-only-pass"), false);
        dev.ponte.spi.ConnectorConfig wrong = new dev.ponte.spi.ConnectorConfig("nfe", d, Map.of("certificate", p12,
                "certificate-password", "not-the-password"), false);
        DemoClock clock = new DemoClock(Instant.now(), ZONE);

        a.certificates(() -> CertificateExpiries.of(List.of(nfse)));
        a.evaluate(db, clock);
        assertThat(a.active()).containsOnlyKeys("certificate");
        assertThat(a.active().get("certificate")).startsWith("nfse: certificate expires on ").contains("limit 30)");

        a.certificates(() -> CertificateExpiries.of(List.of(wrong)));
        a.evaluate(db, clock);
        assertThat(a.active().get("certificate")).isEqualTo("nfe: cannot read ponte.connectors.nfe.certificate "
                + "(IOException)").doesNotContain("not-the-password");

        BusinessAlerts farAhead = alerts(Map.of("ponte.alerts.certificate.kind", "certificate-expiry",
                "ponte.alerts.certificate.within-days", "5"), new ArrayList<>());
        farAhead.certificates(() -> CertificateExpiries.of(List.of(nfse)));
        farAhead.evaluate(db, clock);
        assertThat(farAhead.active()).as("10 days left, 5 asked").isEmpty();
    }

    @Test
    void aRaisedAndAClearedAlertAreMailedThroughTheEmailConnectorsServer() throws Exception {
        com.icegreen.greenmail.util.GreenMail smtp = new com.icegreen.greenmail.util.GreenMail(
                new com.icegreen.greenmail.util.ServerSetup(HubTestSupport.freePort(), "127.0.0.1",
                        com.icegreen.greenmail.util.ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            List<String> problems = new ArrayList<>();
            Map<String, String> config = new HashMap<>(Map.of("ponte.alerts.rejections.kind", "dead-letters",
                    "ponte.alerts.rejections.more-than", "0", "ponte.alerts.email.to", "gerencia@clinica.example"));
            BusinessAlerts a = alerts(config, problems);
            dev.ponte.spi.ConnectorDescriptor email = new dev.ponte.spi.ConnectorDescriptor("email", "1", "x",
                    dev.ponte.spi.Direction.SINK, List.of(), List.of(), List.of());
            dev.ponte.spi.ConnectorConfig mailer = new dev.ponte.spi.ConnectorConfig("email", email, Map.of("host",
                    "127.0.0.1", "port", smtp.getSmtp().getPort(), "security", "none", "from",
                    "ponte@clinica.example"), false);
            AlertMail mail = AlertMail.of(HubSettings.load(dir, null, config, Map.of()), List.of(mailer), problems);
            assertThat(problems).isEmpty();
            a.mail(mail);
            DemoClock clock = new DemoClock(Instant.parse("2026-12-01T13:00:00Z"), ZONE);
            db.inTransaction(c -> DeadLetters.addMessage(c, "calendar", DeadLetter.ErrorClass.PERMANENT_REMOTE,
                    "remote-refused", "test", "{}", "k", "corr", clock.instant()));

            a.evaluate(db, clock);
            assertThat(smtp.waitForIncomingEmail(10_000, 1)).isTrue();
            jakarta.mail.internet.MimeMessage raised = smtp.getReceivedMessages()[0];
            assertThat(raised.getSubject()).isEqualTo("[Ponte] clinic: alert rejections raised");
            assertThat(raised.getAllRecipients()[0].toString()).isEqualTo("gerencia@clinica.example");
            assertThat((String) raised.getContent()).contains("1 dead letters within 60 min (limit 0)");

            clock.advance(Duration.ofHours(2));
            a.evaluate(db, clock);
            assertThat(smtp.waitForIncomingEmail(10_000, 2)).isTrue();
            assertThat(smtp.getReceivedMessages()[1].getSubject()).isEqualTo("[Ponte] clinic: alert rejections cleared");
        } finally {
            smtp.stop();
        }
        List<String> problems = new ArrayList<>();
        AlertMail.of(HubSettings.load(dir, null, Map.of("ponte.alerts.email.to", "not an address"), Map.of()),
                List.of(), problems);
        assertThat(problems).anyMatch(p -> p.startsWith("ponte.alerts.email.to: 'not an address' is not an e-mail"))
                .anyMatch(p -> p.contains("need one email connector instance"));
    }

    @Test
    void everyConfigurationProblemNamesItsKey() {
        List<String> problems = new ArrayList<>();
        alerts(Map.of("ponte.alerts.a.kind", "no-sink", "ponte.alerts.b.kind", "no-sync", "ponte.alerts.b.for",
                "two hours", "ponte.alerts.c.kind", "dead-letters", "ponte.alerts.c.more-than", "-1",
                "ponte.alerts.d.kind", "no-sync", "ponte.alerts.d.source", "x", "ponte.alerts.d.hours", "8-20"),
                problems);
        assertThat(problems).anyMatch(p -> p.startsWith("ponte.alerts.a.kind: 'no-sink' is not one of"))
                .anyMatch(p -> p.startsWith("ponte.alerts.b.source: required"))
                .anyMatch(p -> p.startsWith("ponte.alerts.c.more-than: '-1' is not a whole number"))
                .anyMatch(p -> p.startsWith("ponte.alerts.d.hours: '8-20' is not a span"));
    }
}
