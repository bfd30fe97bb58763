package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the official NFS-e 1.00 schemas for tests: {@code PONTE_FISCAL_SCHEMAS}, else a {@code shared/schemas}
 * folder next to the working directory or one of its first 4 ancestors; skips the test when neither exists. The
 * leiaute 1.01 set likewise: {@code PONTE_FISCAL_SCHEMAS_101}, else {@code shared/schemas/nfse-nacional-1.01}.
 */
final class OfficialSchemas {

    private static FiscalSchemas loaded;
    private static FiscalSchemas loaded101;

    private OfficialSchemas() {
    }

    static Path folder() {
        String env = System.getenv("PONTE_FISCAL_SCHEMAS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i <= 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/schemas/nfse-nacional-1.00");
            if (Files.isRegularFile(candidate.resolve(FiscalSchemas.DPS_SCHEMA))) {
                return candidate;
            }
        }
        return null;
    }

    static Path folder101() {
        String env = System.getenv("PONTE_FISCAL_SCHEMAS_101");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i <= 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/schemas/nfse-nacional-1.01");
            if (Files.isRegularFile(candidate.resolve(FiscalSchemas.DPS_SCHEMA_101))) {
                return candidate;
            }
        }
        return null;
    }

    /** The official 1.01 DPS schema (compiled with the two corrections {@link FiscalSchemas} documents). */
    static synchronized FiscalSchemas nfse101() {
        Path folder = folder101();
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(folder.resolve(FiscalSchemas.DPS_SCHEMA_101)),
                "official NFS-e 1.01 schemas not found: set PONTE_FISCAL_SCHEMAS_101 to the folder of "
                        + "DPS_v1.01.xsd (gov.br/nfse, Esquemas XSD, leiaute 1.01)");
        if (loaded101 == null) {
            loaded101 = FiscalSchemas.nfse(folder, "schemas", Dps.Layout.V1_01);
        }
        return loaded101;
    }

    static synchronized FiscalSchemas nfse() {
        Path folder = folder();
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(folder.resolve(FiscalSchemas.DPS_SCHEMA)),
                "official NFS-e schemas not found: set PONTE_FISCAL_SCHEMAS to the folder of DPS_v1.00.xsd "
                        + "(gov.br/nfse, Esquemas XSD)");
        if (loaded == null) {
            loaded = FiscalSchemas.nfse(folder);
        }
        return loaded;
    }
}
