package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the official NFS-e 1.00 schemas for tests: {@code PONTE_FISCAL_SCHEMAS}, else a {@code shared/schemas}
 * folder next to the working directory or one of its first 4 ancestors; skips the test when neither exists.
 */
final class OfficialSchemas {

    private static FiscalSchemas loaded;

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
