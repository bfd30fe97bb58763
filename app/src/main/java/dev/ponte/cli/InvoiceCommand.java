package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.connectors.fiscal.A1Certificate;
import dev.ponte.connectors.fiscal.CanonicalProblem;
import dev.ponte.connectors.fiscal.DpsPreview;
import dev.ponte.connectors.fiscal.FiscalConfig;
import dev.ponte.connectors.fiscal.FiscalSchemas;
import dev.ponte.connectors.fiscal.MissingSchemaException;
import dev.ponte.connectors.fiscal.NfeConfig;
import dev.ponte.connectors.fiscal.NfeDocuments;
import dev.ponte.connectors.fiscal.SandboxCertificate;
import dev.ponte.connectors.fiscal.SchemaProblem;
import dev.ponte.connectors.fiscal.XmlSignature;
import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code ponte invoice ...}: fiscal documents. */
@Command(name = "invoice", mixinStandardHelpOptions = true,
        description = "Fiscal documents of charges: the preview of the national NFS-e's DPS, and the cancellation "
                + "of an authorized one (the hub issues them through its nfse-nacional connector).",
        subcommands = {InvoiceCommand.Preview.class, InvoiceCancelCommand.class})
final class InvoiceCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Why a charge gives no document; the summary counts them by this. */
    enum Skip {
        CANCELLED("cancelled"), NOT_PAID("not paid"), PRODUCT("product, no NF-e connector configured"),
        INVOICED("already invoiced"), PROBLEMS("canonical problems");

        final String label;

        Skip(String label) {
            this.label = label;
        }
    }

    /** What one charge gives before any document is built: the records to build it from, or why not. */
    sealed interface Candidate {
        /** @param product an NF-e (the procedure is a PRODUCT), else an NFS-e */
        record Eligible(JsonNode charge, JsonNode patient, JsonNode procedure, LocalDate competence, boolean product)
                implements Candidate {
        }

        record Skipped(Skip why, List<String> details) implements Candidate {
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = {"Write the signed DPS (national NFS-e, leiaute 1.00, or 1.01 with the connector's "
                    + "layout) the hub would send for eligible charges, one file per document named after its Id, validated against the official schemas "
                    + "(the fiscal connector's schemas), so an accountant can check them before production. Nothing is "
                    + "sent; without a certificate the Ponte sandbox certificate signs.",
                    "Eligible: a paid charge (status PAID, or payments covering the amount) of a service (its "
                            + "appointment's procedure is not a PRODUCT; no procedure: the connector's default-service-item)"
                            + " that is not invoiced yet (no Invoice record for it and no invoice number from the "
                            + "source). Exit 0 when every eligible charge gave a valid file, 1 when one failed (or "
                            + "--charge is not eligible), 2 when the configuration is incomplete."})
    static final class Preview implements Callable<Integer> {

        static final class Which {
            @Option(names = "--charge", paramLabel = "ID", description = "One charge (canonical id).")
            String charge;

            @Option(names = "--all", description = "Every charge.")
            boolean all;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Option(names = "--out", paramLabel = "DIR", required = true,
                description = "Folder for the files (created); a file of the same name is replaced.")
        Path out;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HubSettings settings = hub.settings();
            List<String> problems = new ArrayList<>();
            ConnectorConfig instance = PreviewInstance.find(settings, problems);
            FiscalConfig fiscal = instance == null ? null : FiscalConfig.read(instance, problems);
            FiscalSchemas schemas = null;
            if (fiscal != null) {
                try {
                    schemas = FiscalSchemas.nfse(fiscal.schemas(), instance.fullKey(FiscalConfig.SCHEMAS),
                            fiscal.clinic().layout());
                } catch (MissingSchemaException e) {
                    problems.add(instance.fullKey(FiscalConfig.SCHEMAS) + ": " + e.getMessage());
                }
            }
            ConnectorConfig nfeInstance = PreviewInstance.findNfe(settings, problems);
            NfeConfig nfe = nfeInstance == null ? null : NfeConfig.read(nfeInstance, problems);
            FiscalTriggerSettings numbering = FiscalTriggerSettings.from(settings.all(), null);
            numbering.problems().stream().filter(p -> p.startsWith(FiscalTriggerSettings.NEXT_NUMBER))
                    .forEach(problems::add);
            if (!problems.isEmpty()) {
                return configuration(err, problems);
            }
            String certificateKey = instance.fullKey(A1Certificate.CERTIFICATE);
            A1Certificate certificate;
            boolean sandbox = fiscal.certificate() == null;
            String certificateLine;
            try {
                if (sandbox) {
                    SandboxCertificate.Obtained s = SandboxCertificate.obtain(settings.dataDir(),
                            fiscal.clinic().cnpj());
                    certificate = s.certificate();
                    certificateLine = "signed with the Ponte sandbox certificate: not valid at the tax authority ("
                            + s.file() + (s.created() ? ", made now" : "") + "; set " + certificateKey
                            + " for the clinic's A1)";
                } else {
                    char[] password = fiscal.certificatePassword().toCharArray();
                    try {
                        certificate = A1Certificate.loadConfigured(instance.fullKey(""), fiscal.certificate(),
                                password, fiscal.certificateAlias());
                    } finally {
                        Arrays.fill(password, '\0');
                    }
                    A1Certificate.Expiry expiry = certificate.expiry(Instant.now());
                    if (!expiry.usable()) {
                        return configuration(err, List.of(certificateKey + ": " + expiry.message()));
                    }
                    certificateLine = "signed with " + certificate.subjectCn() + " (" + fiscal.certificate() + "; "
                            + expiry.message() + ")";
                }
            } catch (SandboxCertificate.NoKeytool e) {
                return configuration(err, List.of(certificateKey + ": not set, and " + e.getMessage()));
            } catch (ConfigurationException e) {
                return configuration(err, e.problems());
            }
            DpsPreview preview = new DpsPreview(fiscal.clinic(), schemas, certificate);
            // products: the NF-e connector's issuer, signed with the same certificate (the preview sends nothing)
            NfeDocuments products = nfe == null ? null : new NfeDocuments(nfe.issuer(), certificate);

            try (Database db = PonteHub.openDatabase(settings)) {
                Records records = db.read(c -> Records.load(c, which.charge));
                if (which.charge != null && records.charges.isEmpty()) {
                    err.println("no charge " + which.charge + " in " + settings.dataDir() + "; charge ids are the "
                            + "hub's canonical ids");
                    err.flush();
                    return 1;
                }
                Files.createDirectories(this.out);
                out.println("invoice preview: DPS of the national NFS-e (leiaute " + fiscal.clinic().layout().version()
                        + "), environment "
                        + fiscal.clinic().environment().name().toLowerCase(java.util.Locale.ROOT) + ", series "
                        + fiscal.clinic().series() + ", into " + this.out);
                out.println(certificateLine);
                out.println("numbers are provisional (from " + numbering.firstNumber() + ", "
                        + FiscalTriggerSettings.NEXT_NUMBER + ", in charge id order): the real ones are given in "
                        + "series order when the hub issues the documents; nothing is sent");
                out.flush();
                if (products != null) {
                    out.println("products: NF-e 4.00 of " + nfe.issuer().uf() + ", series " + nfe.issuer().series()
                            + ", signed with the same certificate");
                }
                return run(records, numbering.firstNumber(), numbering.firstProductNumber(), fiscal.clinic().zone(),
                        preview, products, out);
            }
        }

        private int run(Records records, long firstNumber, long firstProductNumber, ZoneId zone, DpsPreview preview,
                        NfeDocuments products, PrintWriter out) throws IOException {
            long number = firstNumber;
            long nfeNumber = firstProductNumber;
            int written = 0;
            int failed = 0;
            Map<Skip, Integer> skipped = new LinkedHashMap<>();
            Instant now = Instant.now();
            Candidate onlyOutcome = null;
            for (Map.Entry<String, JsonNode> e : records.charges.entrySet()) {
                String chargeId = e.getKey();
                Candidate candidate = records.candidate(chargeId, e.getValue(), zone, now, products != null);
                onlyOutcome = candidate;
                if (candidate instanceof Candidate.Eligible el && el.product()) {
                    NfeDocuments.Result r = products.sign(el.charge(), el.patient(), el.procedure(), nfeNumber, now);
                    if (r instanceof NfeDocuments.Result.Refused refused) {
                        candidate = new Candidate.Skipped(Skip.PROBLEMS, refused.problems().stream()
                                .map(CanonicalProblem::toString).toList());
                        onlyOutcome = candidate;
                    } else if (r instanceof NfeDocuments.Result.Invalid invalid) {
                        failed++;
                        out.printf("failed   %s  %s breaks the NF-e schema, not written:%n", chargeId, invalid.id());
                        for (SchemaProblem p : invalid.problems()) {
                            out.println("           " + p);
                        }
                        continue;
                    } else {
                        NfeDocuments.Result.Signed signed = (NfeDocuments.Result.Signed) r;
                        Path file = this.out.resolve(signed.key().infNFeId() + ".xml");
                        if (!writeVerified(file, signed.xml(), chargeId, out)) {
                            failed++;
                            continue;
                        }
                        written++;
                        nfeNumber++;
                        out.printf("written  %s  %s  NF-e nNF %d, R$ %s%n", chargeId, file.getFileName(),
                                signed.number(), amount(el.charge()));
                        continue;
                    }
                } else if (candidate instanceof Candidate.Eligible el) {
                    DpsPreview.Result r = preview.preview(el.charge(), el.patient(), el.procedure(), number, now,
                            el.competence());
                    if (r instanceof DpsPreview.Result.Refused refused) {
                        candidate = new Candidate.Skipped(Skip.PROBLEMS, refused.problems().stream()
                                .map(CanonicalProblem::toString).toList());
                        onlyOutcome = candidate;
                    } else if (r instanceof DpsPreview.Result.Invalid invalid) {
                        failed++;
                        out.printf("failed   %s  %s breaks the official schema, not written:%n", chargeId,
                                invalid.id());
                        for (SchemaProblem p : invalid.problems()) {
                            out.println("           " + p);
                        }
                        continue;
                    } else {
                        DpsPreview.Result.Signed signed = (DpsPreview.Result.Signed) r;
                        Path file = this.out.resolve(signed.id() + ".xml");
                        if (!writeVerified(file, signed.xml(), chargeId, out)) {
                            failed++;
                            continue;
                        }
                        written++;
                        number++;
                        out.printf("written  %s  %s  nDPS %d, R$ %s%n", chargeId, file.getFileName(),
                                signed.number(), amount(el.charge()));
                        continue;
                    }
                }
                Candidate.Skipped s = (Candidate.Skipped) candidate;
                skipped.merge(s.why(), 1, Integer::sum);
                out.printf("skipped  %s  %s%s%n", chargeId, s.why().label, s.details().isEmpty() ? ""
                        : ": " + String.join("; ", s.details()));
            }
            int skippedTotal = skipped.values().stream().mapToInt(Integer::intValue).sum();
            StringBuilder why = new StringBuilder();
            skipped.entrySet().stream().sorted(Map.Entry.<Skip, Integer>comparingByValue().reversed())
                    .forEach(s -> why.append(why.length() == 0 ? "" : ", ").append(s.getValue()).append(' ')
                            .append(s.getKey().label));
            out.printf("%d written, %d skipped%s, %d failed%n", written, skippedTotal,
                    skippedTotal == 0 ? "" : " (" + why + ")", failed);
            out.flush();
            if (failed > 0) {
                return 1;
            }
            if (which.charge != null && onlyOutcome instanceof Candidate.Skipped s) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("charge " + which.charge + " is not eligible: " + s.why().label
                        + (s.details().isEmpty() ? "" : ": " + String.join("; ", s.details())));
                err.flush();
                return 1;
            }
            return 0;
        }

        /**
         * Writes a signed document and verifies the signature of the file as written; a file that does not verify is
         * removed and its line says why.
         */
        private static boolean writeVerified(Path file, String xml, String chargeId, PrintWriter out)
                throws IOException {
            write(file, xml);
            XmlSignature.Verification v = DpsPreview.verify(Files.readAllBytes(file));
            if (!v.valid()) {
                Files.deleteIfExists(file);
                out.printf("failed   %s  %s: the signature of the written file does not verify (%s); removed%n",
                        chargeId, file.getFileName(), v.reason());
                return false;
            }
            return true;
        }

        private static void write(Path file, String xml) throws IOException {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, xml, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        private static String amount(JsonNode charge) {
            JsonNode a = charge.get("amount");
            try {
                return a == null ? "?" : new BigDecimal(a.asText()).setScale(2, java.math.RoundingMode.HALF_UP)
                        .toPlainString();
            } catch (NumberFormatException e) {
                return "?";
            }
        }

        private static int configuration(PrintWriter err, List<String> problems) {
            err.println("invoice preview: the fiscal configuration is incomplete, " + problems.size()
                    + " problem(s) (README \"Invoices (NFS-e / NF-e)\"):");
            for (String p : problems) {
                err.println("  " + p);
            }
            err.flush();
            return 2;
        }
    }

    /** The canonical records a preview reads, loaded in one transaction. */
    static final class Records {
        final Map<String, JsonNode> charges = new LinkedHashMap<>();
        final Map<String, JsonNode> patients = new HashMap<>();
        final Map<String, JsonNode> appointments = new HashMap<>();
        final Map<String, JsonNode> procedures = new TreeMap<>();
        final Set<String> invoicedCharges = new HashSet<>();

        static Records load(java.sql.Connection c, String onlyCharge) throws java.sql.SQLException {
            Records r = new Records();
            Map<String, String> charges = onlyCharge == null ? CanonicalStore.payloads(c, "Charge")
                    : CanonicalStore.payload(c, "Charge", onlyCharge).map(p -> Map.of(onlyCharge, p)).orElse(Map.of());
            for (Map.Entry<String, String> e : charges.entrySet()) {
                JsonNode charge = parse(e.getValue());
                r.charges.put(e.getKey(), charge);
                for (String[] ref : List.of(new String[]{"Patient", text(charge, "patientId")},
                        new String[]{"Appointment", text(charge, "appointmentId")})) {
                    if (ref[1] != null) {
                        Map<String, JsonNode> into = ref[0].equals("Patient") ? r.patients : r.appointments;
                        if (!into.containsKey(ref[1])) {
                            CanonicalStore.payload(c, ref[0], ref[1]).ifPresent(p -> into.put(ref[1], parse(p)));
                        }
                    }
                }
            }
            for (Map.Entry<String, String> e : CanonicalStore.payloads(c, "Procedure").entrySet()) {
                JsonNode p = parse(e.getValue());
                String code = text(p, "code");
                r.procedures.put(code == null ? e.getKey() : code, p);
            }
            for (String invoice : CanonicalStore.payloads(c, "Invoice").values()) {
                String chargeId = text(parse(invoice), "chargeId");
                if (chargeId != null) {
                    r.invoicedCharges.add(chargeId);
                }
            }
            return r;
        }

        /**
         * Whether a charge is eligible, with the records to build its document from; or why not.
         *
         * @param products whether products are previewed (an NF-e connector is configured)
         */
        Candidate candidate(String chargeId, JsonNode charge, ZoneId zone, Instant now, boolean products) {
            String status = text(charge, "status");
            if ("CANCELLED".equals(status)) {
                return new Candidate.Skipped(Skip.CANCELLED, List.of());
            }
            if (invoicedCharges.contains(chargeId)) {
                return new Candidate.Skipped(Skip.INVOICED, List.of("an Invoice record names this charge"));
            }
            if (text(charge, "invoiceNumber") != null) {
                return new Candidate.Skipped(Skip.INVOICED, List.of("the source gives its invoice number"));
            }
            if (!"PAID".equals(status) && !dev.ponte.fiscal.ChargeTrigger.paymentsCover(charge)) {
                return new Candidate.Skipped(Skip.NOT_PAID, List.of("status " + (status == null ? "missing" : status)
                        + ", payments do not cover the amount"));
            }
            List<String> problems = new ArrayList<>();
            JsonNode procedure = null;
            LocalDate competence = null;
            String appointmentId = text(charge, "appointmentId");
            if (appointmentId != null) {
                JsonNode appointment = appointments.get(appointmentId);
                if (appointment == null) {
                    problems.add("Charge " + chargeId + ": appointmentId names an appointment the hub does not hold");
                } else {
                    String code = text(appointment, "procedureCode");
                    if (code != null) {
                        procedure = procedures.get(code);
                        if (procedure == null) {
                            problems.add("Appointment " + appointmentId + ": procedureCode names a procedure the hub "
                                    + "does not hold");
                        } else if ("PRODUCT".equals(text(procedure, "kind")) && !products) {
                            return new Candidate.Skipped(Skip.PRODUCT, List.of("Procedure " + code + " is a PRODUCT"));
                        }
                    }
                    competence = competence(text(appointment, "start"), zone, now);
                }
            }
            String patientId = text(charge, "patientId");
            JsonNode patient = patientId == null ? null : patients.get(patientId);
            if (patient == null) {
                problems.add("Charge " + chargeId + ": patientId " + (patientId == null ? "is missing"
                        : "names a patient the hub does not hold"));
            }
            if (!problems.isEmpty()) {
                return new Candidate.Skipped(Skip.PROBLEMS, problems);
            }
            return new Candidate.Eligible(charge, patient, procedure, competence, procedure != null
                    && "PRODUCT".equals(text(procedure, "kind")));
        }

        /** The day of the service in the clinic's zone, unless unreadable or after today (then the emission day). */
        private static LocalDate competence(String start, ZoneId zone, Instant now) {
            if (start == null) {
                return null;
            }
            try {
                LocalDate day = OffsetDateTime.parse(start).atZoneSameInstant(zone).toLocalDate();
                return day.isAfter(now.atZone(zone).toLocalDate()) ? null : day;
            } catch (RuntimeException e) {
                return null;
            }
        }

        private static JsonNode parse(String json) {
            try {
                return Json.MAPPER.readTree(json);
            } catch (IOException e) {
                throw new IllegalStateException("a canonical record is not JSON: " + e.getMessage(), e);
            }
        }

        static String text(JsonNode node, String field) {
            JsonNode v = node == null ? null : node.get(field);
            if (v == null || v.isNull() || v.isContainerNode() || v.asText().isBlank()) {
                return null;
            }
            return v.asText().strip();
        }
    }
}
