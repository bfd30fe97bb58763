package dev.ponte.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.inbound.EventTypes;
import dev.ponte.json.Json;
import dev.ponte.model.CancellationCode;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ponte invoice cancel ID --reason TEXT}: asks for the cancellation of an authorized NFS-e. The request is
 * written to the Invoice ({@code cancellationCode}, {@code cancellationReason}) with its event and an audit entry,
 * in one transaction; the running hub's fiscal connector sends the authority's cancellation event (101101) and the
 * answer makes the Invoice CANCELLED, or keeps it AUTHORIZED with the refusal and a dead letter. Exit 0 when
 * requested, 1 when the invoice cannot be cancelled (the reason says why), 2 on a wrong option.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Ask for the cancellation of an authorized NFS-e (national event 101101). The running hub "
                + "(bin/ponte run) sends it through the fiscal connector; the Invoice becomes CANCELLED once the "
                + "authority registers it. The request is audited.",
                "Exit 0 when requested, 1 when this invoice cannot be cancelled, 2 on a wrong option."})
final class InvoiceCancelCommand implements Callable<Integer> {

    /** The event source of the requests: the underscore keeps it from ending in a connector instance's name. */
    static final String SOURCE = "ponte://cli/invoice_cancel";

    @Parameters(paramLabel = "ID", description = "The Invoice's canonical id.")
    String id;

    @Option(names = "--reason", required = true, paramLabel = "TEXT",
            description = "Why, in the clinic's words: 15 to 255 characters (xMotivo; no patient data).")
    String reason;

    @Option(names = "--code", paramLabel = "CODE", defaultValue = "other",
            description = "issue-error (1), service-not-provided (2) or other (9, the default).")
    String code;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text = reason == null ? "" : reason.strip().replaceAll("\\s+", " ");
        CancellationCode cancellationCode = code(code);
        if (cancellationCode == null || text.length() < 15 || text.length() > 255) {
            err.println(cancellationCode == null ? "--code: '" + code + "' is not one of issue-error, "
                    + "service-not-provided, other" : "--reason: 15 to 255 characters, as the authority requires ("
                    + text.length() + " given)");
            err.flush();
            return 2;
        }
        HubSettings settings = hub.settings();
        try (Database db = PonteHub.openDatabase(settings)) {
            Optional<String> refused = db.inTransaction(c -> {
                Optional<String> payload = CanonicalStore.payload(c, "Invoice", id);
                if (payload.isEmpty()) {
                    return Optional.of("no Invoice " + id + " in " + settings.dataDir() + " (invoice ids are the "
                            + "hub's canonical ids)");
                }
                ObjectNode invoice;
                try {
                    invoice = (ObjectNode) Json.MAPPER.readTree(payload.get());
                } catch (java.io.IOException | ClassCastException e) {
                    return Optional.of("Invoice " + id + " is stored as invalid JSON; see bin/ponte audit verify");
                }
                String status = invoice.path("status").asText();
                if (!"NFSE".equals(invoice.path("kind").asText())) {
                    return Optional.of("Invoice " + id + " is an " + invoice.path("kind").asText() + ": only an NFS-e "
                            + "is cancelled by the hub");
                }
                if (!"AUTHORIZED".equals(status) || !invoice.hasNonNull("accessKey")) {
                    return Optional.of("Invoice " + id + " is " + status + ": only an AUTHORIZED NFS-e (with its "
                            + "access key) can be cancelled" + ("PENDING".equals(status) || "REJECTED".equals(status)
                            ? "; it was never issued" : ""));
                }
                if (invoice.hasNonNull("cancellationReason")) {
                    return Optional.of("Invoice " + id + ": its cancellation was already requested; the running hub "
                            + "sends it (see bin/ponte dlq list if it was refused)");
                }
                invoice.put("cancellationCode", cancellationCode.name());
                invoice.put("cancellationReason", text);
                Instant now = Instant.now();
                String json = invoice.toString();
                String hash = Hashes.sha256(json);
                CanonicalStore.save(c, "Invoice", id, json, hash, now);
                EventOutbox.append(c, new CanonicalEvent(Ids.newId(), SOURCE, EventTypes.type("Invoice",
                        EventTypes.UPSERTED), id, now, settings.clinic(), null, Ids.newId(), null, json),
                        "cli|Invoice|cancel:" + id);
                AuditLog.append(c, HubOptions.actor(), "invoice.cancel-request", "Invoice/" + id, "NFS-e "
                        + invoice.path("accessKey").asText() + ", code " + cancellationCode.name(), text, now);
                return Optional.<String>empty();
            });
            if (refused.isPresent()) {
                err.println(refused.get());
                err.flush();
                return 1;
            }
        }
        out.println("cancellation of Invoice " + id + " requested: the running hub (bin/ponte run) sends it to the "
                + "authority through the fiscal connector; the Invoice becomes CANCELLED once it is registered");
        out.flush();
        return 0;
    }

    private static CancellationCode code(String value) {
        try {
            return value == null ? null : CancellationCode.valueOf(value.strip().toUpperCase(Locale.ROOT)
                    .replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
