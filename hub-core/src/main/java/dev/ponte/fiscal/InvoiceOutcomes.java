package dev.ponte.fiscal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.inbound.EventTypes;
import dev.ponte.json.Json;
import dev.ponte.model.Invoice;
import dev.ponte.model.InvoiceStatus;
import dev.ponte.outbound.DeliveryOutcomes;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the authority's answer does to the Invoice record, in the transaction in which the sink driver records the
 * delivery (or the dead letter):
 * <ul>
 *   <li>before the call: only a PENDING or REJECTED invoice (a replay after a fix) is transmitted; an AUTHORIZED or
 *       CANCELLED one is not sent again, whatever command arrives for it;</li>
 *   <li>authorized: the fields the fiscal sink assigned ({@link Sink.Delivery#assigned()}: {@code status},
 *       {@code accessKey}, {@code issuedAt}, {@code verificationCode}) are written to the record, the rejection
 *       reason of an earlier attempt is cleared, and the change is an {@code invoice.status-changed} event
 *       (status AUTHORIZED) with an audit entry {@code invoice.authorized};</li>
 *   <li>refused for good: the record becomes REJECTED with the reason (the authority's code and text, or the schema
 *       element), and the command stays a dead letter to replay once the cause is fixed;</li>
 *   <li>cancellation: an AUTHORIZED invoice with a {@code cancellationReason} ({@code ponte invoice cancel}) is sent
 *       again, as its cancellation; the answer makes it CANCELLED, a refusal keeps it AUTHORIZED with the reason
 *       ("cancellation refused: …") and a dead letter.</li>
 * </ul>
 * The event's source is the sink instance, so the flow sink-commands does not send it back there. Logs ids only.
 */
public final class InvoiceOutcomes implements DeliveryOutcomes {

    /** The event source system of the changes the authority's answers make. */
    public static final String SYSTEM = "fiscal";
    private static final Logger LOG = LoggerFactory.getLogger(InvoiceOutcomes.class);
    private static final String ENTITY = "Invoice";
    private static final Set<InvoiceStatus> TRANSMITTABLE = Set.of(InvoiceStatus.PENDING, InvoiceStatus.REJECTED);
    private static final Set<String> ASSIGNABLE = Set.of("status", "accessKey", "issuedAt", "verificationCode",
            "protocol");
    private static final Pattern ACCESS_KEY = Pattern.compile("\\d{44}|\\d{50}");
    private static final int MAX_REASON = 500;

    private final String clinic;
    private final Map<String, String> kinds;

    /** Each instance takes every kind of invoice (tests). */
    public InvoiceOutcomes(String clinic) {
        this(clinic, Map.of());
    }

    /**
     * @param kinds the kind of document (NFSE, NFE) each fiscal instance issues; an instance not named takes all
     */
    public InvoiceOutcomes(String clinic, Map<String, String> kinds) {
        this.clinic = clinic;
        this.kinds = Map.copyOf(kinds);
    }

    @Override
    public boolean concerns(OutboundCommand command) {
        return ENTITY.equals(command.entity());
    }

    @Override
    public boolean stillWanted(Connection c, String instance, OutboundCommand command, Instant now)
            throws SQLException {
        Optional<ObjectNode> invoice = read(c, command.canonicalId());
        if (invoice.isEmpty()) {
            LOG.warn("{}: Invoice {} is not in the store; nothing transmitted", instance, command.canonicalId());
            return false;
        }
        String kind = kinds.get(instance);
        if (kind != null && !kind.equals(invoice.get().path("kind").asText())) {
            LOG.debug("{}: Invoice {} is an {}: another fiscal connector issues it", instance, command.canonicalId(),
                    invoice.get().path("kind").asText());
            return false;
        }
        InvoiceStatus status = status(invoice.get());
        if (status == InvoiceStatus.AUTHORIZED && invoice.get().hasNonNull("cancellationReason")) {
            return true; // the clinic asked to cancel it: the cancellation goes out
        }
        if (status == null || !TRANSMITTABLE.contains(status)) {
            LOG.info("{}: Invoice {} is {}; it is not transmitted again", instance, command.canonicalId(), status);
            return false;
        }
        return true;
    }

    @Override
    public void delivered(Connection c, String instance, OutboundCommand command, Sink.Delivery delivery,
                          Instant now) throws SQLException {
        Optional<ObjectNode> current = read(c, command.canonicalId());
        if (current.isEmpty() || delivery == null || delivery.assigned().isEmpty()) {
            return;
        }
        ObjectNode after = current.get().deepCopy();
        StringBuilder ignored = new StringBuilder();
        for (Map.Entry<String, String> f : delivery.assigned().entrySet()) {
            String problem = problem(f.getKey(), f.getValue());
            if (problem != null) {
                ignored.append(ignored.isEmpty() ? "" : "; ").append(f.getKey()).append(": ").append(problem);
            } else {
                after.put(f.getKey(), f.getValue());
            }
        }
        String status = after.path("status").asText();
        if ("AUTHORIZED".equals(status) || "CANCELLED".equals(status)) {
            after.remove("rejectionReason");
        }
        String why = ignored.isEmpty() ? null : "fields not taken: " + ignored;
        if (save(c, instance, command, current.get(), after, now)) {
            AuditLog.append(c, instance, "AUTHORIZED".equals(status) ? "invoice.authorized"
                    : "CANCELLED".equals(status) ? "invoice.cancelled" : "invoice.answer", ENTITY + "/" + command.canonicalId(), "status " + after.path("status")
                    .asText() + (after.hasNonNull("accessKey") ? ", access key " + after.get("accessKey").asText()
                    : ""), why, now);
        }
        if (why != null) {
            LOG.warn("{}: Invoice {}: {}", instance, command.canonicalId(), why);
        }
    }

    @Override
    public boolean refused(Connection c, String instance, OutboundCommand command, String reason, Instant now)
            throws SQLException {
        Optional<ObjectNode> current = read(c, command.canonicalId());
        if (current.isPresent()) {
            ObjectNode after = current.get().deepCopy();
            boolean cancellation = status(current.get()) == InvoiceStatus.AUTHORIZED;
            if (cancellation) {
                // the document stays authorized; the refusal of its cancellation is shown, the request kept to replay
                reason = "cancellation refused: " + reason;
            } else {
                after.put("status", InvoiceStatus.REJECTED.name());
            }
            String text = reason == null ? "refused" : reason;
            after.put("rejectionReason", text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON - 1)
                    + "…");
            if (save(c, instance, command, current.get(), after, now)) {
                AuditLog.append(c, instance, cancellation ? "invoice.cancel-refused" : "invoice.rejected", ENTITY + "/"
                        + command.canonicalId(), "status " + after.get("status").asText(),
                        after.get("rejectionReason").asText(), now);
            }
        }
        return false; // the dead letter stays: it is the way to replay the document once the cause is fixed
    }

    /** Why a field the sink assigned is not taken, or null. */
    private static String problem(String field, String value) {
        if (!ASSIGNABLE.contains(field)) {
            return "not a field the authority assigns";
        }
        if (value == null) {
            return "no value";
        }
        return switch (field) {
            case "status" -> value.equals(InvoiceStatus.AUTHORIZED.name()) || value.equals(InvoiceStatus.CANCELLED
                    .name()) ? null : "only AUTHORIZED and CANCELLED are taken";
            case "accessKey" -> ACCESS_KEY.matcher(value).matches() ? null : "not 44 or 50 digits";
            case "protocol" -> value.matches("\\d{15}") ? null : "not 15 digits";
            case "issuedAt" -> {
                try {
                    OffsetDateTime.parse(value);
                    yield null;
                } catch (RuntimeException e) {
                    yield "not a date-time with offset";
                }
            }
            default -> value.length() <= 50 ? null : "longer than 50 characters";
        };
    }

    private boolean save(Connection c, String instance, OutboundCommand command, ObjectNode before, ObjectNode after,
                         Instant now) throws SQLException {
        if (after.equals(before)) {
            return false;
        }
        try {
            Json.MAPPER.treeToValue(after, Invoice.class); // still an Invoice
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("the answer for Invoice " + command.canonicalId() + " does not fit the "
                    + "record", e);
        }
        String payload = after.toString();
        String hash = Hashes.sha256(payload);
        CanonicalStore.save(c, ENTITY, command.canonicalId(), payload, hash, now);
        String type = EventTypes.type(ENTITY, before.path("status").equals(after.path("status"))
                ? EventTypes.UPSERTED : EventTypes.STATUS_CHANGED);
        EventOutbox.append(c, new CanonicalEvent(Ids.newId(), EventTypes.source(SYSTEM, instance), type,
                command.canonicalId(), now, clinic, null, command.correlationId(), command.causationId(), payload),
                instance + "|Invoice|" + command.canonicalId() + "|" + hash);
        LOG.info("{}: Invoice {} is {}", instance, command.canonicalId(), after.path("status").asText());
        return true;
    }

    private static InvoiceStatus status(ObjectNode invoice) {
        try {
            return InvoiceStatus.valueOf(invoice.path("status").asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Optional<ObjectNode> read(Connection c, String id) throws SQLException {
        Optional<String> payload = CanonicalStore.payload(c, ENTITY, id);
        if (payload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of((ObjectNode) Json.MAPPER.readTree(payload.get()));
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("Invoice " + id + " is stored as invalid JSON", e);
        }
    }
}
