package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.xml.SafeXml;
import org.w3c.dom.Document;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sink of {@code nfse-nacional}: one PENDING Invoice (an NFS-e the hub numbered) → its DPS, built from the
 * records the command carries ({@code chargeId}, {@code chargeId.patientId},
 * {@code chargeId.appointmentId.procedureCode}), signed, checked against the official schemas, and issued once
 * ({@link Issuance}: a lost answer is asked for before any resend). Authorized: the access key, the processing
 * time and the status go back to the Invoice ({@link Sink.Delivery#assigned()}) and the NFS-e XML is kept in the
 * data directory ({@code fiscal/<instance>/nfse/<access key>.xml}). Refused (the authority's code, a schema element,
 * a canonical field): a dead letter naming it, to replay once fixed. The DPS is the same on every attempt (its
 * emission time is the command's), so a replay asks about the same Id. Never logs the document.
 */
final class NfseSink implements Sink {

    private final ConnectorContext context;
    private final FiscalConfig fiscal;
    private final DpsPreview documents;
    private final A1Certificate certificate;
    private final Issuance issuance;
    private final FiscalSchemas eventSchemas;
    private final Cancellations cancellations;

    NfseSink(ConnectorContext context, FiscalConfig fiscal, DpsPreview documents, A1Certificate certificate,
             Issuance issuance, FiscalSchemas eventSchemas, Cancellations cancellations) {
        this.context = context;
        this.fiscal = fiscal;
        this.documents = documents;
        this.certificate = certificate;
        this.issuance = issuance;
        this.eventSchemas = eventSchemas;
        this.cancellations = cancellations;
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        String invoice = "Invoice " + command.canonicalId();
        if (!"Invoice".equals(command.entity())) {
            throw new PermanentDeliveryException(context.instance() + " issues invoices only; it got a "
                    + command.entity() + " (check the instance's place in ponte.messaging.channels)");
        }
        if (command.action() == OutboundCommand.Action.DELETE) {
            throw new PermanentDeliveryException(invoice + ": an NFS-e is not deleted; cancel it with "
                    + "bin/ponte invoice cancel");
        }
        if (!"NFSE".equals(command.text("kind"))) {
            return new Delivery(null, "an " + command.text("kind") + ": not this connector's; nothing sent");
        }
        String status = command.text("status");
        if ("AUTHORIZED".equals(status) && command.text("cancellationReason") != null) {
            return cancel(command, invoice);
        }
        if ("AUTHORIZED".equals(status) || "CANCELLED".equals(status)) {
            return new Delivery(command.text("accessKey"), "already " + status.toLowerCase(java.util.Locale.ROOT)
                    + "; nothing sent");
        }
        String cnpj = fiscal.clinic().cnpj();
        if (!cnpj.equals(command.text("issuerCnpj")) || !fiscal.clinic().series().equals(command.text("series"))) {
            throw new PermanentDeliveryException(invoice + " was numbered for issuer " + command.text("issuerCnpj")
                    + ", series " + command.text("series") + ", but " + context.config().fullKey(FiscalConfig.CNPJ)
                    + " and " + context.config().fullKey(FiscalConfig.SERIES) + " say " + cnpj + ", series "
                    + fiscal.clinic().series() + "; make ponte.fiscal's numbering and the connector agree");
        }
        long number = number(command, invoice);
        JsonNode charge = command.related().get("chargeId");
        JsonNode patient = command.related().get("chargeId.patientId");
        if (charge == null || patient == null) {
            throw new PermanentDeliveryException(invoice + ": the hub holds no " + (charge == null ? "Charge "
                    + command.text("chargeId") : "Patient of its charge") + "; import it, then replay");
        }
        JsonNode procedure = command.related().get("chargeId.appointmentId.procedureCode");
        JsonNode appointment = command.related().get("chargeId.appointmentId");
        A1Certificate.Expiry expiry = certificate.expiry(context.clock().instant());
        if (!expiry.usable()) {
            throw new PermanentDeliveryException(invoice + " not signed: " + expiry.message()
                    + "; then restart the hub and replay");
        }
        DpsPreview.Result result = documents.preview(charge, patient, procedure, number, command.time(),
                competence(appointment));
        if (result instanceof DpsPreview.Result.Refused refused) {
            throw new PermanentDeliveryException(invoice + ": no DPS can be made: " + refused.problems().stream()
                    .map(CanonicalProblem::toString).collect(Collectors.joining("; ")) + "; correct the record at "
                    + "its source, then replay");
        }
        if (result instanceof DpsPreview.Result.Invalid invalid) {
            throw new PermanentDeliveryException(invoice + ": DPS " + invalid.id() + " breaks the official schema "
                    + "and was not sent: " + invalid.problems().stream().limit(3).map(SchemaProblem::toString)
                    .collect(Collectors.joining("; ")) + (invalid.problems().size() > 3 ? "; …" : "")
                    + "; correct the record or the settings, then replay");
        }
        DpsPreview.Result.Signed signed = (DpsPreview.Result.Signed) result;
        if (context.config().sandbox()) {
            context.sandbox().record(context.instance(), command.businessKey(), "POST",
                    fiscal.baseUrl().toString().replaceAll("/+$", "") + "/nfse",
                    Map.of("Content-Type", "application/json"), NfseApi.submitBody(signed.xml()));
            if (SandboxAnswer.authorizes(context.config())) {
                Instant at = command.time(); // the document's time: a redelivery gets the same key
                String key = SandboxAnswer.nfseKey(fiscal.clinic().municipalityCode(), cnpj, number, at,
                        fiscal.clinic().zone());
                return new Delivery(key, "sandbox: DPS " + signed.id() + " signed and recorded, not sent; "
                        + "answered as authorized (sandbox-answer, no fiscal value)", null,
                        SandboxAnswer.assigned(key, at, fiscal.clinic().zone()));
            }
            return new Delivery(null, "sandbox: DPS " + signed.id() + " signed and recorded, not sent");
        }
        DpsId id = DpsId.of(fiscal.clinic().municipalityCode(), DpsId.RegistrationType.CNPJ, cnpj,
                fiscal.clinic().series(), number);
        IssueOutcome outcome = issuance.issue(id, signed.xml());
        if (outcome instanceof IssueOutcome.Rejected rejected) {
            throw new PermanentDeliveryException(invoice + ": " + rejected.describe());
        }
        IssueOutcome.Authorized authorized = (IssueOutcome.Authorized) outcome;
        keep(authorized);
        Map<String, String> assigned = new LinkedHashMap<>();
        assigned.put("status", "AUTHORIZED");
        assigned.put("accessKey", authorized.accessKey());
        if (authorized.processedAt() != null) {
            assigned.put("issuedAt", authorized.processedAt().toString());
        }
        authorized.verificationCode().filter(v -> !v.isBlank()).ifPresent(v -> assigned.put("verificationCode", v));
        return new Delivery(authorized.accessKey(), "NFS-e authorized" + authorized.nfseNumber().map(n -> ", nNFSe "
                + n).orElse("") + " (DPS " + id.value() + ", " + route(authorized.route()) + ")", null, assigned);
    }

    /** The clinic asked to cancel an authorized NFS-e ({@code ponte invoice cancel}): event 101101, once. */
    private Delivery cancel(OutboundCommand command, String invoice) throws Exception {
        String key = command.text("accessKey");
        Cancellation request;
        try {
            Cancellation.Reason reason = Cancellation.Reason.parse(command.text("cancellationCode"));
            request = new Cancellation(key, fiscal.clinic().environment(), fiscal.clinic().cnpj(),
                    command.time().atZone(fiscal.clinic().zone()).toOffsetDateTime(),
                    reason == null ? Cancellation.Reason.OTHER : reason, command.text("cancellationReason"), null);
        } catch (IllegalArgumentException e) {
            throw new PermanentDeliveryException(invoice + ": its cancellation cannot be requested: " + e.getMessage());
        }
        A1Certificate.Expiry expiry = certificate.expiry(context.clock().instant());
        if (!expiry.usable()) {
            throw new PermanentDeliveryException(invoice + ": cancellation not signed: " + expiry.message()
                    + "; then restart the hub and replay");
        }
        Document doc = SafeXml.parse(request.xml(fiscal.clinic().layout()).getBytes(StandardCharsets.UTF_8),
                "the cancellation request");
        XmlSignature.sign(doc, request.id(), XmlSignature.Algorithms.NFSE_NACIONAL, certificate);
        String signed = DpsPreview.DECLARATION + DpsPreview.serialize(doc);
        List<SchemaProblem> problems = eventSchemas.validate(signed);
        if (!problems.isEmpty()) {
            throw new PermanentDeliveryException(invoice + ": the cancellation request breaks the official schema and "
                    + "was not sent: " + problems.stream().limit(3).map(SchemaProblem::toString)
                    .collect(Collectors.joining("; ")));
        }
        if (context.config().sandbox()) {
            context.sandbox().record(context.instance(), command.businessKey(), "POST",
                    fiscal.baseUrl().toString().replaceAll("/+$", "") + NfseApi.eventsPath(key),
                    Map.of("Content-Type", "application/json"), NfseApi.eventBody(signed));
            return new Delivery(null, "sandbox: cancellation of NFS-e " + key + " signed and recorded, not sent");
        }
        Cancellations.Outcome outcome = cancellations.cancel(key, signed);
        if (outcome instanceof Cancellations.Outcome.Refused refused) {
            throw new PermanentDeliveryException(invoice + ": the national NFS-e API refused the cancellation of "
                    + key + ": " + refused.code() + " - " + refused.message() + "; the NFS-e stays authorized");
        }
        boolean recovered = ((Cancellations.Outcome.Cancelled) outcome).recovered();
        return new Delivery(key, "NFS-e cancelled (event 101101" + (recovered ? ", found by the query, not sent "
                + "again" : "") + ")", null, Map.of("status", "CANCELLED"));
    }

    private static long number(OutboundCommand command, String invoice) throws PermanentDeliveryException {
        try {
            long n = Long.parseLong(String.valueOf(command.text("number")));
            if (n >= 1 && n <= DpsId.MAX_NUMBER) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new PermanentDeliveryException(invoice + ": Invoice.number '" + command.text("number") + "' is not a "
                + "DPS number (1 to 15 digits); only invoices the hub numbered are issued");
    }

    /** The day of the service: the appointment's start in the clinic's zone; none: the emission day. */
    private LocalDate competence(JsonNode appointment) {
        JsonNode start = appointment == null ? null : appointment.get("start");
        if (start == null || start.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(start.asText()).atZoneSameInstant(fiscal.clinic().zone()).toLocalDate();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String route(IssueOutcome.Route route) {
        return switch (route) {
            case SUBMITTED -> "sent once";
            case RECOVERED_AFTER_LOST_ANSWER -> "answer lost, found by the status query, not sent again";
            case ALREADY_RECEIVED -> "the authority had it already (E0014)";
            case FOUND_BEFORE_RESEND -> "found by the status query before a resend";
        };
    }

    /** The NFS-e as received, in the data directory (it holds the patient's data: the folder is the hub's). */
    private void keep(IssueOutcome.Authorized authorized) throws dev.ponte.spi.RetriableDeliveryException {
        Path folder = folder();
        Path file = folder.resolve(authorized.accessKey() + ".xml");
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, authorized.accessKey(), ".tmp");
            Files.writeString(tmp, authorized.nfseXml(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // authorized, but not kept: retried, and the retry finds the document at the authority (never issued twice)
            throw new dev.ponte.spi.RetriableDeliveryException("the NFS-e " + authorized.accessKey() + " was authorized "
                    + "but cannot be kept in " + folder + " (" + e.getClass().getSimpleName() + "); free space or fix "
                    + "the folder's permissions: the retry asks the authority for it and issues nothing again", e);
        }
    }

    /** Where the authorized documents of this instance are kept. */
    Path folder() {
        return context.dataDir().resolve("fiscal").resolve(context.instance()).resolve("nfse");
    }
}
