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
                ? "needs the official schemas: PONTE_FISCAL_SCHEMAS or -Dponte.fiscal.schemas, README \"Invoices\")" : "schemas " + schemas + ")"));
        out.println("  " + dataDir.resolve("import-report.json") + "   the JSON report");
        out.println("  bin/ponte run                                         the hub as a service (inbox in data/inbox/legacy)");
        out.flush();
        return 0;
    }

    /**
     * Writes the demo's {@code ponte.properties}: an obviously fake issuer for {@code ponte invoice preview} (the test
     * CNPJ 11222333000181, São Paulo, Simples Nacional ME/EPP), and the official NFS-e schemas' folder when the
     * environment variable {@code PONTE_FISCAL_SCHEMAS} names one that holds them: Ponte does not ship them.
     *
     * @return the schemas' folder written, or null
     */
    static Path fiscalDefaults(Path home, Path dir) throws IOException {
        String env = System.getenv("PONTE_FISCAL_SCHEMAS");
        Path schemas = env != null && !env.isBlank() ? Path.of(env) : null;
        boolean found = schemas != null && Files.isRegularFile(schemas.resolve("DPS_v1.00.xsd"));
        Files.writeString(dir.resolve("ponte.properties"), String.join("\n",
                "# Written by `ponte demo`. Fake fiscal settings for `ponte invoice preview` on the demo data:",
                "# 11222333000181 is a test CNPJ (valid check digits, no real clinic). Never use them for a clinic.",
                "ponte.fiscal.issuer.cnpj=11222333000181",
                "ponte.fiscal.issuer.municipal-registration=12345678",
                "ponte.fiscal.issuer.municipality-code=3550308",
                "ponte.fiscal.issuer.simples-nacional=me-epp",
                "ponte.fiscal.issuer.simples-apportionment=all-in-sn",
                "ponte.fiscal.environment=homologation",
                "# no invoices are created from the demo's charges (the trigger, issue 15, is not connected to any",
                "# transmission yet); the preview still shows what they would be",
                "ponte.fiscal.trigger=off",
                found ? "ponte.fiscal.schemas=" + schemas.toAbsolutePath().normalize().toString().replace("\\", "/")
                        : "# ponte.fiscal.schemas=<folder of DPS_v1.00.xsd> (not found: download from gov.br/nfse)",
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
