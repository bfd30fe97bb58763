package dev.ponte.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ponte demo}: the main job end to end on the shipped demo export, in a fresh demo data directory. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Import the demo export (examples/legacy-clinic) into a fresh data directory (data/demo) with",
                "the embedded broker and database, then show what happened and where to look next."})
final class DemoCommand implements Callable<Integer> {

    private static final String MARKER = ".ponte-demo";

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/demo",
            description = "Demo data directory, emptied first (default: data/demo).")
    Path dataDir;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path home = Path.of(System.getProperty("ponte.home", "."));
        Path export = home.resolve("examples/legacy-clinic");
        reset(dataDir);
        Path schemas = fiscalDefaults(home, dataDir);
        out.println("== Ponte demo: importing " + export + " into " + dataDir);
        out.flush();
        CommandLine root = spec.root().commandLine();
        int code = root.execute("import", export.toString(), "--data-dir", dataDir.toString(), "--report",
                dataDir.resolve("import-report.json").toString());
        if (code != 0) {
            return code;
        }
        out.println();
        out.println("== What the hub holds now");
        out.flush();
        root.execute("status", "--data-dir", dataDir.toString());
        out.println();
        out.println("== Where to look next");
        out.println("  bin/ponte dlq list --data-dir " + dataDir + "                 rows that were rejected, and why");
        out.println("  bin/ponte dlq show ID --data-dir " + dataDir + "              one of them (personal data masked)");
        out.println("  bin/ponte mapping preview mappings/legacy-clinic/agenda.yaml examples/legacy-clinic/agenda.csv");
        out.println("  bin/ponte audit verify --data-dir " + dataDir);
        out.println("  bin/ponte invoice preview --all --data-dir " + dataDir + " --out " + dataDir.resolve("invoices")
                + "   the signed DPS of the paid services (fake issuer; " + (schemas == null
                ? "needs the official schemas: PONTE_FISCAL_SCHEMAS, README \"Invoices\")" : "schemas " + schemas + ")"));
        out.println("  " + dataDir.resolve("import-report.json") + "   the JSON report");
        out.println("  bin/ponte run                                         the hub as a service (inbox in data/inbox/legacy)");
        out.flush();
        return 0;
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
        String env = System.getenv("PONTE_FISCAL_SCHEMAS");
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
                on + "ponte.connectors.nfse.issuer-cnpj=11222333000181",
                on + "ponte.connectors.nfse.issuer-municipal-registration=12345678",
                on + "ponte.connectors.nfse.issuer-municipality-code=3550308",
                on + "ponte.connectors.nfse.issuer-simples-nacional=me-epp",
                on + "ponte.connectors.nfse.issuer-simples-apportionment=all-in-sn",
                on + "ponte.connectors.nfse.environment=homologation",
                on + "ponte.connectors.nfse.schemas=" + (found ? schemas.toAbsolutePath().normalize().toString()
                        .replace("\\", "/") : "<folder of DPS_v1.00.xsd>"),
                "# products (cosmetics sold): NF-e 4.00 through SEFAZ-SP, sandbox too",
                on + "ponte.connectors.nfe.type=nfe-sefaz",
                on + "ponte.connectors.nfe.sandbox=true",
                on + "ponte.connectors.nfe.issuer-cnpj=11222333000181",
                on + "ponte.connectors.nfe.issuer-state-registration=111222333444",
                on + "ponte.connectors.nfe.issuer-legal-name=Clinica Demonstracao Ltda",
                on + "ponte.connectors.nfe.issuer-street=Rua Augusta",
                on + "ponte.connectors.nfe.issuer-number=1500",
                on + "ponte.connectors.nfe.issuer-district=Consolacao",
                on + "ponte.connectors.nfe.issuer-municipality-code=3550308",
                on + "ponte.connectors.nfe.issuer-municipality-name=Sao Paulo",
                on + "ponte.connectors.nfe.issuer-uf=SP",
                on + "ponte.connectors.nfe.issuer-postal-code=01304001",
                "# the demo's charges are not turned into invoices (the preview shows what they would be); set",
                "# on-payment and `bin/ponte run` to watch the hub issue them in sandbox mode",
                "ponte.fiscal.trigger=off",
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
