package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The patient's receipt of a fiscal document: when an Invoice becomes AUTHORIZED, one message (purpose
 * {@code receipt}, consent BILLING, template {@value #TEMPLATE}, business key {@code receipt:<invoice>}) goes to the
 * patient of its charge, due at once. Applying the same event again schedules nothing more (the business key).
 * The template shows the Invoice ({@code {{Invoice.accessKey}}}, {@code {{Invoice.number}}}) with the patient and
 * the charge's appointment.
 */
public final class Receipts {

    /** The template of the receipt. */
    public static final String TEMPLATE = "invoice-authorized";
    /** The business key's prefix; the rest is the Invoice's canonical id. */
    public static final String KEY_PREFIX = "receipt:";

    private Receipts() {
    }

    /**
     * Schedules the receipt of an authorized invoice, once.
     *
     * @return whether a message was scheduled now
     */
    static boolean onInvoice(Connection c, String invoiceId, JsonNode invoice, Instant now) throws SQLException {
        if (!"AUTHORIZED".equals(invoice.path("status").asText()) || !invoice.hasNonNull("accessKey")
                || !invoice.hasNonNull("chargeId")) {
            return false;
        }
        Optional<JsonNode> charge = MessageDispatcher.read(c, "Charge", invoice.get("chargeId").asText());
        String patientId = charge.map(ch -> ch.path("patientId").asText(null)).orElse(null);
        if (patientId == null) {
            return false;
        }
        String appointmentId = charge.get().path("appointmentId").asText(null);
        String id = Ids.newId();
        boolean scheduled = Messages.insert(c, new Messages.StoredMessage(id, KEY_PREFIX + invoiceId, patientId,
                appointmentId, MessagePurpose.RECEIPT.id(), TEMPLATE, MessageStatus.SCHEDULED, null, null, null,
                List.of(), now, now, null, null, null, null, now));
        if (scheduled) {
            Messages.step(c, id, now, "scheduled", "SCHEDULED", null, "the " + invoice.path("kind").asText()
                    + " of the charge was authorized");
        }
        return scheduled;
    }

    /** The Invoice a receipt shows, when the message is one. */
    static Optional<JsonNode> invoiceOf(Connection c, Messages.StoredMessage m) throws SQLException {
        if (m.businessKey() == null || !m.businessKey().startsWith(KEY_PREFIX)) {
            return Optional.empty();
        }
        return CanonicalStore.payload(c, "Invoice", m.businessKey().substring(KEY_PREFIX.length()))
                .flatMap(p -> {
                    try {
                        return Optional.of(dev.ponte.json.Json.MAPPER.readTree(p));
                    } catch (java.io.IOException e) {
                        return Optional.empty();
                    }
                });
    }
}
