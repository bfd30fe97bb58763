package dev.ponte.cli;

import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.Database;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ponte demo} end to end, once for the class (about a minute): the whole day on the simulated clock with every
 * connector in sandbox mode, then what the summary says checked against the store it came from. Each day appointment
 * of {@code examples/demo-day/agenda.csv} is followed: its calendar event made once, its reminder sent once, the
 * patients' answers applied, attended ones charged once, the uncovered insurance procedure and the one without a
 * price never billed, the packages never below zero, the paid charges invoiced and receipted. With the official
 * NFS-e schemas (../shared/schemas or PONTE_FISCAL_SCHEMAS) the services get their NFS-e too; without them only the
 * product's NF-e is made, and the test says so.
 */
class DemoCommandIT {

    @TempDir
    static Path tmp;
    static Path dir;
    static CliRun run;
    static Path schemas;
    static Database db;

    @BeforeAll
    static void runTheDay() {
        dir = tmp.resolve("demo");
        schemas = InvoicePreviewCommandTest.schemasFolder();
        if (schemas != null) {
            System.setProperty("PONTE_FISCAL_SCHEMAS", schemas.toString());
        } else {
            System.out.println("DemoCommandIT: no official NFS-e schemas (../shared/schemas or PONTE_FISCAL_SCHEMAS):"
                    + " the NFS-e part of the day is not checked");
        }
        try {
            run = CliRun.of("demo", "--data-dir", dir.toString());
        } finally {
            System.clearProperty("PONTE_FISCAL_SCHEMAS");
        }
        db = PonteHub.openDatabase(HubSettings.load(dir, null, Map.of()));
    }

    @AfterAll
    static void close() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theDayRunsToItsEndAndPrintsEveryFlowWithNonZeroCounts() {
        assertThat(run.exitCode()).as(run.err()).isZero();
        String out = run.out();
        for (String flow : List.of("calendar", "reminders", "confirmations", "attendance", "packages", "charges",
                "payments", "invoices", "receipts", "reconciliation", "dead letters")) {
            assertThat(out).as(flow).containsPattern("(?m)^" + flow);
        }
        assertThat(out).containsPattern("events created\\s+[1-9]").containsPattern("sent by WHATSAPP\\s+[1-9]")
                .containsPattern("replies: confirm\\s+[1-9]").containsPattern("sessions taken today\\s+2\\b")
                .containsPattern("charges \\(payer PATIENT\\)\\s+[1-9]").containsPattern("NFE AUTHORIZED\\s+1\\b")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out + run.err()).doesNotContain("sandbox-no-token-0000000000");
    }

    @Test
    void eachAppointmentOfTheDayHasOneCalendarEventAndOneReminder() throws Exception {
        for (String code : dayCodes()) {
            String id = appointment(code);
            assertThat(count("select count(*) from sandbox_request where connector = 'agenda' and method = 'POST' "
                    + "and target like '%/events?%' and business_key like ?", "%" + id + "%")).as(code).isEqualTo(1);
            assertThat(count("select count(*) from message where purpose = 'reminder' and appointment_id = ? and "
                    + "status in ('SENT', 'DELIVERED', 'READ')", id)).as(code).isEqualTo(1);
        }
    }

    @Test
    void theRepliesConfirmOrCancelAndTheClinicSystemReceivesTheStatuses() throws Exception {
        assertThat(status("300004")).isEqualTo("CANCELLED");
        assertThat(status("300005")).isEqualTo("NO_SHOW");
        assertThat(status("300001")).isEqualTo("ATTENDED");
        assertThat(count("select count(*) from patient_reply where intent = 'UNKNOWN'")).isEqualTo(1);
        assertThat(count("select count(*) from sandbox_request where connector = 'agenda' and method = 'DELETE' and "
                + "business_key like ?", "%" + appointment("300004") + "%")).isEqualTo(1);
        List<String> outbox = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("legacy-outbox"))) {
            for (Path f : files.toList()) {
                outbox.addAll(Files.readAllLines(f, StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(outbox).anyMatch(l -> l.startsWith("300004;CA;")).anyMatch(l -> l.startsWith("300001;CF;"));
    }

    @Test
    void onlyWhatMayBeBilledIsChargedAndOnlyOnce() throws Exception {
        assertThat(charges("300001")).isEqualTo(1);
        assertThat(charges("300010")).as("UNIMED: copay and the plan's part").isEqualTo(2);
        assertThat(charges("300008")).as("a per-session package session").isEqualTo(1);
        assertThat(charges("300009")).as("an upfront package's session").isZero();
        assertThat(charges("300011")).as("AMIL does not cover P003").isZero();
        assertThat(charges("300014")).as("no price").isZero();
        assertThat(charges("300005")).as("no-show").isZero();
        assertThat(charges("300004")).as("cancelled").isZero();
        assertThat(count("select count(*) from clinic_review where resolved_at is null and rule = "
                + "'insurance-not-covered' and record_id = ?", appointment("300011"))).isEqualTo(1);
        assertThat(count("select count(*) from clinic_review where resolved_at is null and rule = 'price-undefined' "
                + "and record_id = ?", appointment("300014"))).isEqualTo(1);
    }

    @Test
    void paidChargesAreInvoicedAndTheReceiptsFollow() throws Exception {
        long paid = count("select count(*) from xref where system = 'payments' and entity_type = 'Payment'");
        assertThat(paid).isGreaterThan(0);
        long nfe = count("select count(*) from canonical_record where entity_type = 'Invoice' and payload like "
                + "'%\"kind\":\"NFE\"%' and payload like '%\"status\":\"AUTHORIZED\"%'");
        long nfse = count("select count(*) from canonical_record where entity_type = 'Invoice' and payload like "
                + "'%\"kind\":\"NFSE\"%' and payload like '%\"status\":\"AUTHORIZED\"%'");
        assertThat(nfe).isEqualTo(1);
        if (schemas != null) {
            assertThat(nfe + nfse).as("one invoice per paid charge").isEqualTo(paid);
        } else {
            assertThat(nfse).isZero();
        }
        assertThat(count("select count(*) from message where purpose = 'receipt' and status in ('SENT', "
                + "'DELIVERED', 'READ')")).isGreaterThan(0);
        assertThat(dir.resolve("reports")).isDirectoryContaining(p -> p.getFileName().toString()
                .startsWith("reconcile-"));
    }

    private static List<String> dayCodes() throws Exception {
        return Files.readAllLines(dev.ponte.hub.HubTestSupport.HOME.resolve("examples/demo-day/agenda.csv"),
                StandardCharsets.ISO_8859_1).stream().skip(1).filter(l -> !l.isBlank())
                .map(l -> l.substring(0, l.indexOf(';'))).toList();
    }

    private static String appointment(String code) {
        return db.inTransaction(c -> dev.ponte.store.CanonicalStore.referencedId(c, "legacy-clinic", "Appointment",
                code)).orElseThrow(() -> new AssertionError("no appointment " + code));
    }

    private static String status(String code) throws Exception {
        String payload = db.inTransaction(c -> dev.ponte.store.CanonicalStore.payload(c, "Appointment",
                appointment(code))).orElseThrow();
        return dev.ponte.json.Json.MAPPER.readTree(payload).path("status").asText();
    }

    private static long charges(String code) {
        return count("select count(*) from canonical_record where entity_type = 'Charge' and payload like ?",
                "%\"appointmentId\":\"" + appointment(code) + "\"%");
    }

    private static long count(String sql, String... args) {
        return db.inTransaction(c -> one(c, sql, args));
    }

    private static long one(Connection c, String sql, String... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
