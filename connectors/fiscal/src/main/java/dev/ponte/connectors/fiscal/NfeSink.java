package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The sink of {@code nfe-sefaz}: one PENDING NF-e Invoice (a product charge the hub numbered in its NF-e series) →
 * its NF-e 4.00, built from the records the command carries ({@code chargeId}, {@code chargeId.patientId},
 * {@code chargeId.appointmentId.procedureCode}), signed, checked against the schemas, and authorized once
 * ({@link SefazIssuance}: a lost answer is asked for before any resend). Authorized: status, access key, protocol and
 * receipt time go back to the Invoice, and the {@code nfeProc} (the NF-e with its protocol) is kept in the data
 * directory ({@code fiscal/<instance>/nfe/<key>-procNFe.xml}). An NFS-e is another connector's: nothing is done.
 * The NF-e is the same on every attempt (its emission time is the command's, its cNF derived from its number).
 */
final class NfeSink implements Sink {

    private final ConnectorContext context;
    private final NfeConfig nfe;
    private final NfeDocuments documents;
    private final A1Certificate certificate;
    private final SefazIssuance issuance;

    NfeSink(ConnectorContext context, NfeConfig nfe, NfeDocuments documents, A1Certificate certificate,
            SefazIssuance issuance) {
        this.context = context;
        this.nfe = nfe;
        this.documents = documents;
        this.certificate = certificate;
        this.issuance = issuance;
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        String invoice = "Invoice " + command.canonicalId();
        if (!"Invoice".equals(command.entity())) {
            throw new PermanentDeliveryException(context.instance() + " issues invoices only; it got a "
                    + command.entity());
        }
        if (!"NFE".equals(command.text("kind"))) {
            return new Delivery(null, "an " + command.text("kind") + ": not this connector's; nothing sent");
        }
        if (command.action() == OutboundCommand.Action.DELETE) {
            throw new PermanentDeliveryException(invoice + ": an NF-e is not deleted");
        }
        String status = command.text("status");
        if ("AUTHORIZED".equals(status) && command.text("cancellationReason") != null) {
            throw new PermanentDeliveryException(invoice + ": the cancellation of an NF-e (SEFAZ event 110111) is not "
                    + "built yet; cancel it in the state's portal, then discard this dead letter");
        }
        if ("AUTHORIZED".equals(status) || "CANCELLED".equals(status)) {
            return new Delivery(command.text("accessKey"), "already " + status.toLowerCase(java.util.Locale.ROOT)
                    + "; nothing sent");
        }
        String cnpj = nfe.issuer().cnpj();
        if (!cnpj.equals(command.text("issuerCnpj")) || !nfe.issuer().series().equals(command.text("series"))) {
            throw new PermanentDeliveryException(invoice + " was numbered for issuer " + command.text("issuerCnpj")
                    + ", series " + command.text("series") + ", but " + context.config().fullKey(NfeConfig.CNPJ)
                    + " and " + context.config().fullKey(NfeConfig.SERIES) + " say " + cnpj + ", series "
                    + nfe.issuer().series());
        }
        long number;
        try {
            number = Long.parseLong(String.valueOf(command.text("number")));
        } catch (NumberFormatException e) {
            throw new PermanentDeliveryException(invoice + ": Invoice.number is not an NF-e number");
        }
        JsonNode charge = command.related().get("chargeId");
        JsonNode patient = command.related().get("chargeId.patientId");
        JsonNode procedure = command.related().get("chargeId.appointmentId.procedureCode");
        if (charge == null || patient == null || procedure == null) {
            throw new PermanentDeliveryException(invoice + ": the hub holds no " + (charge == null ? "Charge"
                    : patient == null ? "Patient of its charge" : "Procedure of its charge's appointment")
                    + "; import it, then replay");
        }
        A1Certificate.Expiry expiry = certificate.expiry(context.clock().instant());
        if (!expiry.usable()) {
            throw new PermanentDeliveryException(invoice + " not signed: " + expiry.message()
                    + "; then restart the hub and replay");
        }
        NfeDocuments.Result result = documents.sign(charge, patient, procedure, number, command.time());
        if (result instanceof NfeDocuments.Result.Refused refused) {
            throw new PermanentDeliveryException(invoice + ": no NF-e can be made: " + refused.problems().stream()
                    .map(CanonicalProblem::toString).collect(Collectors.joining("; ")) + "; correct the record at "
                    + "its source, then replay");
        }
        if (result instanceof NfeDocuments.Result.Invalid invalid) {
            throw new PermanentDeliveryException(invoice + ": NF-e " + invalid.id() + " breaks the schema and was not "
                    + "sent: " + invalid.problems().stream().limit(3).map(SchemaProblem::toString)
                    .collect(Collectors.joining("; ")) + "; correct the record or the settings, then replay");
        }
        NfeDocuments.Result.Signed signed = (NfeDocuments.Result.Signed) result;
        if (context.config().sandbox()) {
            context.sandbox().record(context.instance(), command.businessKey(), "POST",
                    nfe.endpoints().authorization().toString(), Map.of("Content-Type", "application/soap+xml"),
                    SefazApi.authorizationEnvelope(SefazIssuance.batchId(signed.key()), signed.xml()));
            if (SandboxAnswer.authorizes(context.config())) {
                return new Delivery(signed.key().value(), "sandbox: NF-e " + signed.key().value() + " signed and "
                        + "recorded, not sent; answered as authorized (sandbox-answer, no fiscal value)", null,
                        SandboxAnswer.assigned(signed.key().value(), context.clock().instant(), nfe.issuer().zone()));
            }
            return new Delivery(null, "sandbox: NF-e " + signed.key().value() + " signed and recorded, not sent");
        }
        SefazIssuance.Outcome outcome = issuance.issue(signed.key(), signed.xml());
        if (outcome instanceof SefazIssuance.Outcome.Rejected rejected) {
            throw new PermanentDeliveryException(invoice + ": SEFAZ rejected NF-e " + signed.key().value() + ": "
                    + rejected.code() + " - " + rejected.message() + "; correct the charge or the settings, then "
                    + "replay");
        }
        SefazIssuance.Outcome.Authorized authorized = (SefazIssuance.Outcome.Authorized) outcome;
        SefazReplies.Protocol p = authorized.protocol();
        keep(signed, p);
        Map<String, String> assigned = new LinkedHashMap<>();
        assigned.put("status", "AUTHORIZED");
        assigned.put("accessKey", signed.key().value());
        if (p.protocol() != null) {
            assigned.put("protocol", p.protocol());
        }
        if (p.receivedAt() != null) {
            assigned.put("issuedAt", p.receivedAt());
        }
        return new Delivery(signed.key().value(), "NF-e authorized, protocol " + p.protocol() + " ("
                + (authorized.recovered() ? "found by the status query, not sent again" : "sent once") + ")", null,
                assigned);
    }

    /** The {@code nfeProc} (NF-e and protocol) in the data directory; it holds the patient's data. */
    private void keep(NfeDocuments.Result.Signed signed, SefazReplies.Protocol p)
            throws dev.ponte.spi.RetriableDeliveryException {
        Path folder = context.dataDir().resolve("fiscal").resolve(context.instance()).resolve("nfe");
        Path file = folder.resolve(signed.key().value() + "-procNFe.xml");
        String proc = DpsPreview.DECLARATION + "<nfeProc xmlns=\"" + SefazApi.NFE_NS + "\" versao=\"4.00\">"
                + SefazApi.withoutDeclaration(signed.xml()) + (p.xml() == null ? "" : p.xml()) + "</nfeProc>";
        try {
            Files.createDirectories(folder);
            Path tmp = Files.createTempFile(folder, signed.key().value(), ".tmp");
            Files.writeString(tmp, proc, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // authorized, but not kept: retried, and the retry finds the document at the authority (never issued twice)
            throw new dev.ponte.spi.RetriableDeliveryException("the NF-e " + signed.key().value() + " was authorized "
                    + "but cannot be kept in " + folder + " (" + e.getClass().getSimpleName() + "); free space or fix "
                    + "the folder's permissions: the retry asks the authority for it and issues nothing again", e);
        }
    }
}
