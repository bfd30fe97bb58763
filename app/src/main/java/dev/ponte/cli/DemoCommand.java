package dev.ponte.cli;

import dev.ponte.demo.DemoDay;
import dev.ponte.demo.DemoSummary;
import dev.ponte.hub.HubSettings;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ponte demo}: the whole day of the clinic flows on the shipped demo export, in a fresh data directory. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"One day at the clinic on a simulated clock, in a fresh data directory (data/demo), every",
                "connector in sandbox mode: the demo export and the day's agenda are imported, reminders go out, the",
                "patients answer, the day ends with attendance, package sessions, charges, payments, invoices,",
                "receipts and the reconciliation; then one summary table per flow and where to look next."})
final class DemoCommand implements Callable<Integer> {

    private static final String MARKER = ".ponte-demo";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/demo",
            description = "Demo data directory, emptied first (default: data/demo).")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("ponte.home", ".")).toAbsolutePath().normalize();
        reset(dataDir);
        ZoneId zone = ZoneId.of("America/Sao_Paulo");
        LocalDate day = DemoDay.dayOf(LocalDate.now(zone));
        Path schemas = fiscalDefaults(home, dataDir);
        sandboxConnectors(home, dataDir, day);
        out.println("== Ponte demo: one day at the clinic, " + day + ", on a simulated clock, in " + dataDir);
        out.println("   every connector in sandbox mode: requests are recorded in the store, nothing is sent");
        if (schemas == null) {
            out.println("   NFS-e: off (the official schemas are not shipped; PONTE_FISCAL_SCHEMAS=<folder of "
                    + "DPS_v1.00.xsd> turns it on); NF-e for products: on");
        }
        out.flush();
        // always the embedded database and broker of the demo's folder, whatever -Dponte.* the JVM was given
        HubSettings settings = HubSettings.load(dataDir, null, java.util.Map.of("ponte.db.url", "",
                "ponte.broker.url", ""));
        DemoSummary summary = new DemoDay(settings, home, day, out).run();
        summary.print(out);
        out.println();
        out.println("== Where to look next");
        out.println("  bin/ponte status --data-dir " + dataDir + "                   what the hub holds");
        out.println("  bin/ponte sandbox list --data-dir " + dataDir + " --connector whatsapp   what would have been sent");
        out.println("  bin/ponte messages list --data-dir " + dataDir + "            the day's messages, channel by channel");
        out.println("  bin/ponte review --data-dir " + dataDir + "                   appointments that are not billed, and why");
        out.println("  bin/ponte dlq list --data-dir " + dataDir + "                 rows that were rejected, and why");
        out.println("  bin/ponte dlq show ID --data-dir " + dataDir + "              one of them (personal data masked)");
        out.println("  bin/ponte audit verify --data-dir " + dataDir);
        out.println("  " + dataDir.resolve("reports") + "   the reconciliation's CSV and JSON");
        out.println("  " + dataDir.resolve("legacy-outbox") + "   the status file the clinic system imports");
        out.println("  bin/ponte run                                         the hub as a service (inbox in data/inbox/legacy)");
        out.flush();
        return 0;
    }

    /**
     * Appends the demo's sandboxed connectors to its {@code ponte.properties}: Google Calendar, WhatsApp, SMS (an
     * SMSC), e-mail, the payment gateway's report (a second legacy-csv instance), the legacy write-back outbox, and
     * the day as the first day of billing and invoicing (the export's history is not billed again). The tokens are
     * placeholders: in sandbox mode no connector uses them.
     */
    static void sandboxConnectors(Path home, Path dir, LocalDate day) throws IOException {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String path = home.toString().replace("\\", "/");
        Files.writeString(dir.resolve("ponte.properties"), String.join("\n",
                "# Written by `ponte demo`: every connector in sandbox mode (requests recorded, nothing sent).",
                "ponte.clinic=clinica-demo",
                "ponte.http.port=" + port,
                "ponte.connectors.legacy.poll-delay=200ms",
                "ponte.connectors.legacy.status-outbox=" + dir.toAbsolutePath().resolve("legacy-outbox")
                        .toString().replace("\\", "/"),
                "ponte.connectors.payments.type=legacy-csv",
                "ponte.connectors.payments.mappings=" + path + "/mappings/payments",
                "ponte.connectors.payments.poll-delay=200ms",
                "ponte.connectors.agenda.type=google-calendar",
                "ponte.connectors.agenda.sandbox=true",
                "ponte.connectors.agenda.requests-per-second=1000",
                "ponte.connectors.whatsapp.type=whatsapp",
                "ponte.connectors.whatsapp.sandbox=true",
                "ponte.connectors.whatsapp.phone-number-id=100000000000001",
                "ponte.connectors.whatsapp.access-token=sandbox-no-token-0000000000",
                "ponte.connectors.whatsapp.app-secret=sandbox-no-secret-000",
                "ponte.connectors.whatsapp.verify-token=sandbox-no-verify-000",
                "ponte.connectors.sms.type=sms",
                "ponte.connectors.sms.sandbox=true",
                "ponte.connectors.sms.provider=smpp",
                "ponte.connectors.sms.host=smsc.invalid",
                "ponte.connectors.sms.system-id=demo",
                "ponte.connectors.sms.password=sandbox",
                "ponte.connectors.email.type=email",
                "ponte.connectors.email.sandbox=true",
                "ponte.connectors.email.host=smtp.invalid",
                "ponte.connectors.email.from=agenda@clinica-demo.invalid",
                "ponte.flows.billing.from=" + day,
                "ponte.fiscal.from=" + day,
                "ponte.flows.reconcile.at=off",
                ""), java.nio.charset.StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    }

    /**
     * Writes the demo's {@code ponte.properties}: a fiscal connector instance {@code nfse} in sandbox mode with an
     * obviously fake issuer for {@code ponte invoice preview} (the test CNPJ 11222333000181, São Paulo, Simples
     * Nacional ME/EPP) and the official NFS-e schemas' folder when the environment variable
     * {@code PONTE_FISCAL_SCHEMAS} names one that holds them (Ponte does not ship them). Without the schemas the
     * instance is written commented out: a fiscal connector without its schemas stops the hub from starting.
     *
     * @return the schemas' folder written, or null
     */
    static Path fiscalDefaults(Path home, Path dir) throws IOException {
        String env = System.getProperty("PONTE_FISCAL_SCHEMAS", System.getenv("PONTE_FISCAL_SCHEMAS"));
        Path schemas = env != null && !env.isBlank() ? Path.of(env) : null;
        boolean found = schemas != null && Files.isRegularFile(schemas.resolve("DPS_v1.00.xsd"));
        String on = found ? "" : "# ";
        Files.writeString(dir.resolve("ponte.properties"), String.join("\n",
                "# Written by `ponte demo`. A fake fiscal connector for `ponte invoice preview` on the demo data:",
                "# 11222333000181 is a test CNPJ (valid check digits, no real clinic). Never use it for a clinic.",
                found ? "# sandbox=true: documents are signed (Ponte sandbox certificate) and recorded, never sent."
                        : "# Commented out: the official NFS-e schemas were not found (set PONTE_FISCAL_SCHEMAS to the "
                        + "folder of DPS_v1.00.xsd, from gov.br/nfse, and run the demo again, or set schemas below).",
                on + "ponte.connectors.nfse.type=nfse-nacional",
                on + "ponte.connectors.nfse.sandbox=true",
                on + "ponte.connectors.nfse.sandbox-answer=authorized",
                on + "ponte.connectors.nfse.issuer-cnpj=11222333000181",
                on + "ponte.connectors.nfse.issuer-municipal-registration=12345678",
                on + "ponte.connectors.nfse.issuer-municipality-code=3550308",
                on + "ponte.connectors.nfse.issuer-simples-nacional=me-epp",
                on + "ponte.connectors.nfse.issuer-simples-apportionment=all-in-sn",
                on + "ponte.connectors.nfse.environment=homologation",
                on + "ponte.connectors.nfse.schemas=" + (found ? schemas.toAbsolutePath().normalize().toString()
                        .replace("\\", "/") : "<folder of DPS_v1.00.xsd>"),
                "# products (cosmetics sold): NF-e 4.00 through SEFAZ-SP, sandbox too (its schemas ship with Ponte)",
                "ponte.connectors.nfe.type=nfe-sefaz",
                "ponte.connectors.nfe.sandbox=true",
                "ponte.connectors.nfe.sandbox-answer=authorized",
                "ponte.connectors.nfe.issuer-cnpj=11222333000181",
                "ponte.connectors.nfe.issuer-state-registration=111222333444",
                "ponte.connectors.nfe.issuer-legal-name=Clinica Demonstracao Ltda",
                "ponte.connectors.nfe.issuer-street=Rua Augusta",
                "ponte.connectors.nfe.issuer-number=1500",
                "ponte.connectors.nfe.issuer-district=Consolacao",
                "ponte.connectors.nfe.issuer-municipality-code=3550308",
                "ponte.connectors.nfe.issuer-municipality-name=Sao Paulo",
                "ponte.connectors.nfe.issuer-uf=SP",
                "ponte.connectors.nfe.issuer-postal-code=01304001",
                "# a paid charge becomes its invoice (sandbox: signed, recorded, answered as authorized)",
                "ponte.fiscal.trigger=on-payment",
                ""), java.nio.charset.StandardCharsets.UTF_8);
        return found ? schemas.toAbsolutePath().normalize() : null;
    }

    /** Empties the demo directory, but only one the demo created (marked), never an arbitrary folder. */
    private static void reset(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.exists(dir.resolve(MARKER))) {
                throw new CommandLine.ParameterException(new CommandLine(new DemoCommand()), dir
                        + " exists and was not created by 'ponte demo'; choose another --data-dir");
            }
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(MARKER));
    }
}
