package dev.ponte.connectors.fiscal;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the official NF-e 4.00 schemas for tests: {@code PONTE_NFE_SCHEMAS}, else a {@code shared/schemas/nfe-4.00}
 * folder in the working directory or one of its ancestors; skips the test when neither holds
 * {@value FiscalSchemas#NFE_SCHEMA}. The files are read where they are, never copied into the project.
 */
final class OfficialNfeSchemas {

    private static FiscalSchemas loaded;

    private OfficialNfeSchemas() {
    }

    static Path folder() {
        String env = System.getenv("PONTE_NFE_SCHEMAS");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/schemas/nfe-4.00");
            if (Files.isRegularFile(candidate.resolve(FiscalSchemas.NFE_SCHEMA))) {
                return candidate;
            }
        }
        return null;
    }

    static synchronized FiscalSchemas nfe() {
        Path folder = folder();
        Assumptions.assumeTrue(folder != null && Files.isRegularFile(folder.resolve(FiscalSchemas.NFE_SCHEMA)),
                "official NF-e schemas not found: set PONTE_NFE_SCHEMAS to the folder of nfe_v4.00.xsd and its "
                        + "includes (Portal Nacional da NF-e, pacote de liberação PL_010)");
        if (loaded == null) {
            loaded = FiscalSchemas.nfe(folder);
        }
        return loaded;
    }
}
