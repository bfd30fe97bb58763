package dev.ponte.fiscal;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.InvoicedCharges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fiscal trigger on an embedded H2: which charges become an Invoice (PENDING, numbered), once each, and why the
 * others do not.
 */
@Tag("store")
class InvoicingTest {

    private static final String CNPJ = "11222333000181";
    private static final String CPF = "52998224725";
    private static final Instant NOW = Instant.parse("2026-03-02T13:00:00Z");

    @TempDir
    Path dir;
    private Database db;

    @AfterEach
    void close() {
        if (db != null) {
            db.close();
        }
    }

    private Invoicing invoicing(String trigger) {
        db = db != null ? db : TestStores.open(Database.embeddedUrl(dir), Database::open);
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of(FiscalTriggerSettings.TRIGGER, trigger),
                new FiscalTriggerSettings.Issuer("nfse", "11.222.333/0001-81", "1"));
        assertThat(s.problems()).isEmpty();
        return new Invoicing(s, Clock.fixed(NOW, ZoneOffset.UTC), "clinic");
    }

    @Test
    void aPaidChargeBecomesOnePendingNfseWithTheNextNumber() throws Exception {
        Invoicing invoicing = invoicing("on-payment");
        put("Patient", "p1", "{\"id\":\"p1\",\"name\":\"Ana Souza\",\"cpf\":\"" + CPF + "\"}");
        put("Appointment", "a1", "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"BOTOX\","
                + "\"status\":\"ATTENDED\",\"unitId\":\"u1\"}");
        put("Procedure", "BOTOX", "{\"code\":\"BOTOX\",\"name\":\"Toxina\",\"kind\":\"SERVICE\"}");
        put("Charge", "c1", charge("c1", "a1", "PAID", "280.00", null));

        InvoiceOutcome first = apply(invoicing, "c1");
        assertThat(first.result()).isEqualTo(InvoiceOutcome.Result.ISSUED);
        assertThat(first.number()).isEqualTo(1);
        JsonNode invoice = read("Invoice", first.invoiceId());
        assertThat(invoice.path("kind").asText()).isEqualTo("NFSE");
        assertThat(invoice.path("status").asText()).isEqualTo("PENDING");
        assertThat(invoice.path("chargeId").asText()).isEqualTo("c1");
        assertThat(invoice.path("series").asText()).isEqualTo("1");
        assertThat(invoice.path("number").asText()).isEqualTo("1");
        assertThat(invoice.path("amount").decimalValue()).isEqualByComparingTo("280.00");
        assertThat(invoice.path("amount").toString()).as("the amount as written").isEqualTo("280.00");
        assertThat(invoice.path("issuerCnpj").asText()).isEqualTo(CNPJ);
        assertThat(invoice.path("recipientCpf").asText()).isEqualTo(CPF);
        assertThat(invoice.path("unitId").asText()).isEqualTo("u1");
        assertThat(invoice.has("issuedAt")).as("not issued yet").isFalse();

        List<CanonicalEvent> events = events();
        assertThat(events).hasSize(1);
        CanonicalEvent event = events.get(0);
        assertThat(event.type()).isEqualTo("invoice.upserted");
        assertThat(event.subject()).isEqualTo(first.invoiceId());
        assertThat(event.source()).isEqualTo(Invoicing.SOURCE);
        assertThat(event.correlationId()).isEqualTo("run-1");
        assertThat(event.causationId()).isEqualTo("event-of-c1");
        assertThat(Json.MAPPER.readTree(event.data())).isEqualTo(invoice);

        put("Charge", "c2", charge("c2", null, "PAID", "90.00", null));
        assertThat(apply(invoicing, "c2").number()).as("the next number of the series").isEqualTo(2);
    }

    @Test
    void theSameEventAppliedTwiceStillMakesOneDocument() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", charge("c1", null, "PAID", "280.00", null));
        InvoiceOutcome first = apply(invoicing, "c1");
        InvoiceOutcome again = apply(invoicing, "c1");
        assertThat(again.result()).isEqualTo(InvoiceOutcome.Result.ALREADY_ISSUED);
        assertThat(again.invoiceId()).isEqualTo(first.invoiceId());
        assertThat(again.number()).isEqualTo(1);
        assertThat(count("Invoice")).isEqualTo(1);
        assertThat(events()).hasSize(1);
    }

    /** Two hub threads applying the events of fifty charges at once: fifty documents, numbers 1..50, one each. */
    @Test
    void fiftyChargesAppliedConcurrentlyGetFiftyDistinctConsecutiveNumbers() throws Exception {
        Invoicing invoicing = invoicing("on-payment");
        for (int i = 1; i <= 50; i++) {
            put("Charge", "c" + i, charge("c" + i, null, "PAID", "100.00", null));
        }
        List<Callable<InvoiceOutcome>> tasks = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            String id = "c" + i;
            tasks.add(() -> apply(invoicing, id));
            tasks.add(() -> apply(invoicing, id)); // the same charge's event, redelivered at the same time
        }
        List<InvoiceOutcome> outcomes = concurrently(tasks);
        assertThat(outcomes).filteredOn(o -> o.result() == InvoiceOutcome.Result.ISSUED).hasSize(50);
        List<InvoicedCharges.Issued> issued = db.inTransaction(c -> InvoicedCharges.ofSeries(c, CNPJ, "1"));
        assertThat(issued).extracting(InvoicedCharges.Issued::number)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 50).boxed().toList());
        assertThat(issued).extracting(InvoicedCharges.Issued::chargeId).doesNotHaveDuplicates().hasSize(50);
        assertThat(count("Invoice")).isEqualTo(50);
        assertThat(events()).hasSize(50);
    }

    @Test
    void anOpenChargeMakesNone() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", charge("c1", null, "OPEN", "280.00", null));
        InvoiceOutcome o = apply(invoicing, "c1");
        assertThat(o.result()).isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        assertThat(o.reason()).contains("not paid").contains("OPEN");
        assertThat(count("Invoice")).isZero();
        assertThat(events()).isEmpty();
    }

    @Test
    void paymentsCoveringTheAmountMakeOne() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", charge("c1", null, "PARTIALLY_PAID", "280.00", "[{\"paidOn\":\"2026-03-01\","
                + "\"amount\":100.00},{\"paidOn\":\"2026-03-02\",\"amount\":180.00}]"));
        put("Charge", "c2", charge("c2", null, "PARTIALLY_PAID", "280.00", "[{\"paidOn\":\"2026-03-01\","
                + "\"amount\":100.00}]"));
        assertThat(apply(invoicing, "c1").result()).isEqualTo(InvoiceOutcome.Result.ISSUED);
        assertThat(apply(invoicing, "c2").result()).as("not covered").isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        assertThat(count("Invoice")).isEqualTo(1);
    }

    @Test
    void aCancelledChargeMakesNone() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", charge("c1", null, "CANCELLED", "280.00", "[{\"paidOn\":\"2026-03-01\","
                + "\"amount\":280.00}]"));
        InvoiceOutcome o = apply(invoicing, "c1");
        assertThat(o.result()).isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        assertThat(o.reason()).contains("CANCELLED");
        assertThat(count("Invoice")).isZero();
    }

    @Test
    void aChargeTheSourceGivesAnInvoiceNumberOrAnInvoiceRecordForMakesNone() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", "{\"id\":\"c1\",\"patientId\":\"p1\",\"status\":\"PAID\",\"amount\":280.00,"
                + "\"invoiceNumber\":\"4711\"}");
        put("Charge", "c2", charge("c2", null, "PAID", "280.00", null));
        put("Invoice", "legacy-inv", "{\"id\":\"legacy-inv\",\"kind\":\"NFSE\",\"chargeId\":\"c2\",\"number\":\"88\","
                + "\"status\":\"AUTHORIZED\",\"amount\":280.00}");
        assertThat(apply(invoicing, "c1").reason()).contains("source gives its invoice number");
        assertThat(apply(invoicing, "c2").reason()).contains("an Invoice record from a source names it");
        assertThat(count("Invoice")).as("only the source's").isEqualTo(1);
        assertThat(events()).isEmpty();
    }

    @Test
    void onAttendanceFiresOnTheAppointmentAttendedNotOnPayment() {
        Invoicing invoicing = invoicing("on-attendance");
        put("Appointment", "a1", appointment("a1", "CONFIRMED"));
        put("Charge", "c1", charge("c1", "a1", "PAID", "280.00", null));
        InvoiceOutcome paid = apply(invoicing, "c1");
        assertThat(paid.result()).as("paid, not attended").isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        assertThat(paid.reason()).contains("CONFIRMED, not ATTENDED");

        put("Appointment", "a1", appointment("a1", "ATTENDED"));
        List<InvoiceOutcome> attended = db.inTransaction(c -> invoicing.appointmentChanged(c, "a1",
                read("Appointment", "a1"), new Invoicing.Cause("event-of-a1", "run-2")));
        assertThat(attended).extracting(InvoiceOutcome::chargeId, InvoiceOutcome::result, InvoiceOutcome::number)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("c1", InvoiceOutcome.Result.ISSUED, 1L));
        List<InvoiceOutcome> again = db.inTransaction(c -> invoicing.appointmentChanged(c, "a1",
                read("Appointment", "a1"), new Invoicing.Cause("event-of-a1", "run-2")));
        assertThat(again).extracting(InvoiceOutcome::result).containsExactly(InvoiceOutcome.Result.ALREADY_ISSUED);

        // a charge arriving after its appointment was attended fires on its own event, paid or not
        put("Appointment", "a2", appointment("a2", "ATTENDED"));
        put("Charge", "c2", charge("c2", "a2", "OPEN", "150.00", null));
        assertThat(apply(invoicing, "c2").result()).isEqualTo(InvoiceOutcome.Result.ISSUED);
        assertThat(count("Invoice")).isEqualTo(2);
    }

    @Test
    void onPaymentIgnoresAppointmentEvents() {
        Invoicing invoicing = invoicing("on-payment");
        put("Appointment", "a1", appointment("a1", "ATTENDED"));
        put("Charge", "c1", charge("c1", "a1", "OPEN", "280.00", null));
        apply(invoicing, "c1");
        List<InvoiceOutcome> none = db.inTransaction(c -> invoicing.appointmentChanged(c, "a1",
                read("Appointment", "a1"), new Invoicing.Cause("e", "r")));
        assertThat(none).isEmpty();
        assertThat(count("Invoice")).isZero();
    }

    @Test
    void aProductIsSkippedWithItsReasonAndNoNumberIsTaken() {
        Invoicing invoicing = invoicing("on-payment");
        put("Procedure", "CREME", "{\"code\":\"CREME\",\"name\":\"Creme\",\"kind\":\"PRODUCT\"}");
        put("Appointment", "a1", "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"CREME\","
                + "\"status\":\"ATTENDED\"}");
        put("Charge", "c1", charge("c1", "a1", "PAID", "80.00", null));
        InvoiceOutcome o = apply(invoicing, "c1");
        assertThat(o.result()).isEqualTo(InvoiceOutcome.Result.SKIPPED);
        assertThat(o.reason()).isEqualTo("Procedure CREME is a PRODUCT: its document is an NF-e, and no NF-e "
                + "connector (type nfe-sefaz) is configured");
        java.util.Optional<String> kept = db.inTransaction(c -> InvoicedCharges.skipped(c, "c1"));
        assertThat(kept).contains(o.reason());
        assertThat(count("Invoice")).isZero();
        put("Charge", "c2", charge("c2", null, "PAID", "80.00", null));
        assertThat(apply(invoicing, "c2").number()).as("no number was used by the product").isEqualTo(1);
    }

    @Test
    void withAnNfeConnectorAProductIsAnNfeNumberedInItsOwnSeriesApartFromTheNfse() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of(), new FiscalTriggerSettings.Issuer("nfse",
                CNPJ, "1"), new FiscalTriggerSettings.Issuer("nfe", CNPJ, "1"));
        assertThat(s.trigger()).isEqualTo(FiscalTriggerSettings.Trigger.ON_PAYMENT);
        Invoicing invoicing = new Invoicing(s, Clock.fixed(NOW, ZoneOffset.UTC), "clinic");
        put("Procedure", "CREME", "{\"code\":\"CREME\",\"name\":\"Creme\",\"kind\":\"PRODUCT\"}");
        put("Appointment", "a1", "{\"id\":\"a1\",\"patientId\":\"p1\",\"procedureCode\":\"CREME\","
                + "\"status\":\"ATTENDED\"}");
        put("Charge", "c1", charge("c1", "a1", "PAID", "80.00", null));
        put("Charge", "c2", charge("c2", null, "PAID", "180.00", null));
        InvoiceOutcome product = apply(invoicing, "c1");
        InvoiceOutcome service = apply(invoicing, "c2");
        assertThat(product.result()).isEqualTo(InvoiceOutcome.Result.ISSUED);
        assertThat(product.number()).isEqualTo(1);
        assertThat(service.number()).as("the NFS-e series counts apart from the NF-e's").isEqualTo(1);
        JsonNode nfe = read("Invoice", product.invoiceId());
        assertThat(nfe.get("kind").asText()).isEqualTo("NFE");
        assertThat(nfe.get("series").asText()).isEqualTo("1");
        assertThat(read("Invoice", service.invoiceId()).get("kind").asText()).isEqualTo("NFSE");
        put("Charge", "c3", charge("c3", "a1", "PAID", "80.00", null));
        assertThat(apply(invoicing, "c3").number()).as("the next NF-e").isEqualTo(2);
    }

    @Test
    void chargesDueBeforeTheCutOffAreHistoryAndNotInvoiced() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        FiscalTriggerSettings s = FiscalTriggerSettings.from(Map.of(FiscalTriggerSettings.FROM, "2026-03-01"),
                new FiscalTriggerSettings.Issuer("nfse", CNPJ, "1"));
        assertThat(s.from()).isEqualTo(java.time.LocalDate.parse("2026-03-01"));
        Invoicing invoicing = new Invoicing(s, Clock.fixed(NOW, ZoneOffset.UTC), "clinic");
        put("Charge", "old", charge("old", null, "PAID", "80.00", null).replace("2026-03-01", "2026-02-28"));
        put("Charge", "new", charge("new", null, "PAID", "80.00", null));
        InvoiceOutcome old = apply(invoicing, "old");
        assertThat(old.result()).isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        assertThat(old.reason()).contains("before ponte.fiscal.from 2026-03-01");
        assertThat(apply(invoicing, "new").result()).as("due on the cut-off day").isEqualTo(InvoiceOutcome.Result.ISSUED);
        assertThat(FiscalTriggerSettings.from(Map.of(FiscalTriggerSettings.FROM, "01/03/2026"), null).problems())
                .singleElement().asString().startsWith("ponte.fiscal.from: '01/03/2026' is not a date");
    }

    @Test
    void aChargeOfNoAmountIsSkipped() {
        Invoicing invoicing = invoicing("on-payment");
        put("Charge", "c1", charge("c1", null, "PAID", "0.00", null));
        InvoiceOutcome o = apply(invoicing, "c1");
        assertThat(o.result()).isEqualTo(InvoiceOutcome.Result.SKIPPED);
        assertThat(o.reason()).contains("Charge.amount is 0.00");
    }

    @Test
    void withoutAnIssuerOrWithTheTriggerOffNothingHappens() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        put("Charge", "c1", charge("c1", null, "PAID", "280.00", null));
        for (FiscalTriggerSettings settings : List.of(FiscalTriggerSettings.from(Map.of(), null),
                FiscalTriggerSettings.from(Map.of(FiscalTriggerSettings.TRIGGER, "off"),
                        new FiscalTriggerSettings.Issuer("nfse", CNPJ, "1")))) {
            Invoicing off = new Invoicing(settings, Clock.systemUTC(), "clinic");
            assertThat(off.enabled()).isFalse();
            assertThat(apply(off, "c1").result()).isEqualTo(InvoiceOutcome.Result.NOT_DUE);
        }
        assertThat(count("Invoice")).isZero();
    }

    private InvoiceOutcome apply(Invoicing invoicing, String chargeId) {
        // the charge read on the transaction's own connection: a second connection per transaction would wait for
        // the pool's last free one (PostgreSQL's pool has 10, and fifty threads apply at once)
        return db.inTransaction(c -> invoicing.chargeChanged(c, chargeId,
                parse(CanonicalStore.payload(c, "Charge", chargeId).orElseThrow()),
                new Invoicing.Cause("event-of-" + chargeId, "run-1")));
    }

    private static String charge(String id, String appointmentId, String status, String amount, String payments) {
        return "{\"id\":\"" + id + "\",\"patientId\":\"p1\"" + (appointmentId == null ? ""
                : ",\"appointmentId\":\"" + appointmentId + "\"") + ",\"dueDate\":\"2026-03-01\",\"amount\":" + amount
                + ",\"status\":\"" + status + "\"" + (payments == null ? "" : ",\"payments\":" + payments) + "}";
    }

    private static String appointment(String id, String status) {
        return "{\"id\":\"" + id + "\",\"patientId\":\"p1\",\"procedureCode\":\"BOTOX\",\"status\":\"" + status
                + "\"}";
    }

    private void put(String entity, String id, String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, entity, id, json, Hashes.sha256(json), NOW);
            return null;
        });
    }

    private JsonNode read(String entity, String id) {
        return parse(db.inTransaction(c -> CanonicalStore.payload(c, entity, id).orElseThrow()));
    }

    private static JsonNode parse(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String entity) {
        return db.inTransaction(c -> CanonicalStore.countsByType(c).getOrDefault(entity, 0L));
    }

    private List<CanonicalEvent> events() {
        return db.inTransaction(c -> EventOutbox.unpublished(c, 1000));
    }

    private static <T> List<T> concurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch ready = new CountDownLatch(tasks.size());
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.call();
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
