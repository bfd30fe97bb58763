package dev.ponte.fiscal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.inbound.EventTypes;
import dev.ponte.json.Json;
import dev.ponte.model.Invoice;
import dev.ponte.model.InvoiceKind;
import dev.ponte.model.InvoiceStatus;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import dev.ponte.store.InvoiceNumbers;
import dev.ponte.store.InvoicedCharges;
import dev.ponte.validation.br.BrazilianIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fiscal trigger: a charge becomes an {@code Invoice} (an NFS-e, status PENDING, numbered in its series) when
 * the configured trigger fires ({@link FiscalTriggerSettings}), one document per charge, ever. Everything happens on
 * the caller's connection, in its transaction: the check that the charge has no document yet, the next number
 * ({@link InvoiceNumbers}, a row lock), the Invoice record and its {@code invoice.upserted} event in the outbox (the
 * path every canonical change takes, so the flow sink-commands hands it to the sinks that write Invoice), the
 * one-per-charge row ({@link InvoicedCharges}, a primary key) and an audit entry. A rollback undoes all of it and
 * gives the number back; applying the same event again changes nothing. Logs ids only, never a CPF or a name.
 * Thread safe.
 */
public final class Invoicing {

    /**
     * The source of the events of the documents the hub makes. The underscore keeps it from ending in the name of a
     * connector instance ({@code [a-z][a-z0-9-]*}), which the flow sink-commands would take for an echo and skip.
     */
    public static final String SOURCE = "ponte://hub/fiscal_trigger";
    private static final Logger LOG = LoggerFactory.getLogger(Invoicing.class);

    /** Why the event of a charge was applied: the event's id and correlation id. */
    public record Cause(String eventId, String correlationId) {
    }

    private final FiscalTriggerSettings settings;
    private final Clock clock;
    private final String clinic;

    public Invoicing(FiscalTriggerSettings settings, Clock clock, String clinic) {
        this.settings = settings;
        this.clock = clock;
        this.clinic = clinic;
    }

    /** Whether the hub turns charges into invoices (a trigger, an issuer CNPJ, no problem in the settings). */
    public boolean enabled() {
        return settings.enabled();
    }

    public FiscalTriggerSettings settings() {
        return settings;
    }

    /**
     * A charge was created or changed: issues its document when the trigger fires and it has none.
     *
     * @param charge the charge as the store holds it now
     */
    public InvoiceOutcome chargeChanged(Connection c, String chargeId, JsonNode charge, Cause cause)
            throws SQLException {
        if (!enabled()) {
            return InvoiceOutcome.notDue(chargeId, "invoicing is off");
        }
        // one decision per charge at a time: a redelivered event on another thread (or hub) waits here, then finds
        // the document the first one made
        CanonicalStore.lock(c, "Charge", chargeId);
        Optional<InvoicedCharges.Issued> issued = InvoicedCharges.of(c, chargeId);
        if (issued.isPresent()) {
            return new InvoiceOutcome(chargeId, InvoiceOutcome.Result.ALREADY_ISSUED, issued.get().invoiceId(),
                    issued.get().number(), null);
        }
        String appointmentId = ChargeTrigger.text(charge, "appointmentId");
        InvoicedCharges.appointment(c, chargeId, appointmentId);
        JsonNode appointment = appointmentId == null ? null : read(c, "Appointment", appointmentId).orElse(null);
        Optional<String> notDue = ChargeTrigger.notDue(settings.trigger(), charge, appointment);
        if (notDue.isPresent()) {
            return InvoiceOutcome.notDue(chargeId, notDue.get());
        }
        String due = ChargeTrigger.text(charge, "dueDate");
        if (settings.from() != null && due != null && due.compareTo(settings.from().toString()) < 0) {
            return InvoiceOutcome.notDue(chargeId, "due on " + due + ", before " + FiscalTriggerSettings.FROM + " "
                    + settings.from() + ": history, not invoiced");
        }
        if (InvoicedCharges.namedByAnInvoice(c, chargeId)) {
            return InvoiceOutcome.notDue(chargeId, "an Invoice record from a source names it (issued by the source "
                    + "system)");
        }
        Optional<String> cannot = cannotInvoice(c, charge, appointment);
        if (cannot.isPresent()) {
            if (InvoicedCharges.skip(c, chargeId, cannot.get(), clock.instant())) {
                LOG.info("fiscal trigger: Charge {} is not invoiced: {}", chargeId, cannot.get());
            }
            return new InvoiceOutcome(chargeId, InvoiceOutcome.Result.SKIPPED, null, 0, cannot.get());
        }
        return issue(c, chargeId, charge, appointment, cause);
    }

    /**
     * An appointment was created or changed: with the trigger on-attendance, an ATTENDED appointment issues the
     * documents of its charges (those the trigger has seen, {@link InvoicedCharges#chargesOf}).
     *
     * @return one outcome per charge of the appointment; none when the trigger does not look at appointments
     */
    public List<InvoiceOutcome> appointmentChanged(Connection c, String appointmentId, JsonNode appointment,
                                                   Cause cause) throws SQLException {
        List<InvoiceOutcome> out = new ArrayList<>();
        if (!enabled() || settings.trigger() != FiscalTriggerSettings.Trigger.ON_ATTENDANCE
                || !"ATTENDED".equals(ChargeTrigger.text(appointment, "status"))) {
            return out;
        }
        java.util.List<String> chargeIds = new ArrayList<>(InvoicedCharges.chargesOf(c, appointmentId));
        java.util.Collections.sort(chargeIds);
        // every charge locked first, in id order: chargeChanged of one of them on another thread (or hub) locks it
        // alone, so two transactions never wait for each other's charges
        for (String chargeId : chargeIds) {
            CanonicalStore.lock(c, "Charge", chargeId);
        }
        for (String chargeId : chargeIds) {
            Optional<JsonNode> charge = read(c, "Charge", chargeId);
            if (charge.isPresent() && appointmentId.equals(ChargeTrigger.text(charge.get(), "appointmentId"))) {
                out.add(chargeChanged(c, chargeId, charge.get(), cause));
            }
        }
        return out;
    }

    /** Why the hub cannot make this charge's document although the trigger fires, or empty. */
    private Optional<String> cannotInvoice(Connection c, JsonNode charge, JsonNode appointment)
            throws SQLException {
        BigDecimal amount = ChargeTrigger.decimal(charge.get("amount"));
        if (amount == null || amount.signum() <= 0) {
            return Optional.of("Charge.amount is " + (amount == null ? "missing" : amount.toPlainString())
                    + ": nothing to invoice");
        }
        InvoiceKind kind = kind(c, appointment);
        if (kind == InvoiceKind.NFE && settings.products() == null) {
            return Optional.of("Procedure " + ChargeTrigger.text(appointment, "procedureCode") + " is a PRODUCT: its "
                    + "document is an NF-e, and no NF-e connector (type nfe-sefaz) is configured");
        }
        if (kind == InvoiceKind.NFSE && settings.issuerCnpj() == null) {
            return Optional.of("a service: its document is an NFS-e, and no NFS-e connector (type nfse-nacional) is "
                    + "configured");
        }
        return Optional.empty();
    }

    /** NF-e for a charge whose appointment's procedure is a PRODUCT, NFS-e otherwise. */
    private static InvoiceKind kind(Connection c, JsonNode appointment) throws SQLException {
        String code = ChargeTrigger.text(appointment, "procedureCode");
        if (code != null) {
            Optional<JsonNode> procedure = read(c, "Procedure", code);
            if (procedure.isPresent() && "PRODUCT".equals(ChargeTrigger.text(procedure.get(), "kind"))) {
                return InvoiceKind.NFE;
            }
        }
        return InvoiceKind.NFSE;
    }

    private InvoiceOutcome issue(Connection c, String chargeId, JsonNode charge, JsonNode appointment, Cause cause)
            throws SQLException {
        Instant now = clock.instant();
        InvoiceKind kind = kind(c, appointment);
        String cnpj = kind == InvoiceKind.NFE ? settings.products().cnpj() : settings.issuerCnpj();
        String series = kind == InvoiceKind.NFE ? settings.products().series() : settings.series();
        String numbering = InvoiceNumbers.seriesKey(kind, series);
        long number = InvoiceNumbers.next(c, cnpj, numbering, kind == InvoiceKind.NFE ? settings.firstProductNumber()
                : settings.firstNumber());
        String invoiceId = Ids.newId();
        Invoice invoice = new Invoice(invoiceId, kind, chargeId, ChargeTrigger.text(appointment, "unitId"),
                Long.toString(number), series, null, InvoiceStatus.PENDING,
                ChargeTrigger.decimal(charge.get("amount")), cnpj, recipientCpf(c, charge), null,
                null, null, null, null, null, null);
        String payload = json(invoice);
        String hash = Hashes.sha256(payload);
        CanonicalStore.insert(c, "Invoice", invoiceId, payload, hash, now);
        InvoicedCharges.record(c, new InvoicedCharges.Issued(chargeId, invoiceId, cnpj, numbering, number), now);
        EventOutbox.append(c, new CanonicalEvent(Ids.newId(), SOURCE, EventTypes.type("Invoice",
                EventTypes.UPSERTED), invoiceId, now, clinic, null, cause.correlationId(), cause.eventId(), payload),
                "hub|Invoice|charge:" + chargeId + "|" + hash);
        AuditLog.append(c, "hub", "invoice.create", "Invoice/" + invoiceId, kind + ", charge " + chargeId
                + ", series " + series + ", number " + number + ", trigger " + settings.trigger().id(), null, now);
        LOG.info("fiscal trigger: Charge {} → Invoice {} ({}, series {}, number {}), PENDING", chargeId, invoiceId,
                kind, series, number);
        return new InvoiceOutcome(chargeId, InvoiceOutcome.Result.ISSUED, invoiceId, number, null);
    }

    /** The CPF of the charge's patient when the store holds a valid one; else none (the document says no taker). */
    private static String recipientCpf(Connection c, JsonNode charge) throws SQLException {
        String patientId = ChargeTrigger.text(charge, "patientId");
        String cpf = patientId == null ? null
                : read(c, "Patient", patientId).map(p -> ChargeTrigger.text(p, "cpf")).orElse(null);
        return cpf != null && BrazilianIds.cpfProblem(cpf) == null ? cpf : null;
    }

    /** The record's canonical JSON, without the fields it does not have (as the mappings write records). */
    private static String json(Invoice invoice) {
        ObjectNode n = Json.MAPPER.valueToTree(invoice);
        List<String> empty = new ArrayList<>();
        n.fields().forEachRemaining(f -> {
            if (f.getValue().isNull()) {
                empty.add(f.getKey());
            }
        });
        n.remove(empty);
        return n.toString();
    }

    private static Optional<JsonNode> read(Connection c, String entity, String id) throws SQLException {
        Optional<String> payload = CanonicalStore.payload(c, entity, id);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readTree(payload.get()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(entity + " " + id + " is stored as invalid JSON", e);
        }
    }
}
