package dev.ponte.connectors.fiscal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** What the app's end-to-end tests need of the fiscal connector's tests: the stand-in schemas and a certificate. */
public final class FiscalTestKit {

    /** The password of {@link #certificate}'s file. */
    public static final String PASSWORD = Keytool.PASSWORD;
    /** The CNPJ in the certificate's subject (the issuer it may sign for). */
    public static final String ISSUER = Invoices.ISSUER;

    private FiscalTestKit() {
    }

    /**
     * The issuer options of an {@code nfse-nacional} instance for {@link #ISSUER} (São Paulo, Simples Nacional
     * ME/EPP), without the {@code ponte.connectors.<instance>.} prefix.
     */
    public static java.util.Map<String, String> nfseIssuer() {
        return new java.util.LinkedHashMap<>(java.util.Map.of("issuer-cnpj", ISSUER, "issuer-municipality-code",
                "3550308", "issuer-simples-nacional", "me-epp", "issuer-simples-apportionment", "all-in-sn"));
    }

    /**
     * The issuer options of an {@code nfe-sefaz} instance for the test issuer {@link #ISSUER} (Clinica Bela Ltda,
     * São Paulo), without the {@code ponte.connectors.<instance>.} prefix.
     */
    public static java.util.Map<String, String> nfeIssuer() {
        java.util.Map<String, String> c = new java.util.LinkedHashMap<>();
        c.put("issuer-cnpj", ISSUER);
        c.put("issuer-state-registration", "111222333444");
        c.put("issuer-legal-name", "Clinica Bela Ltda");
        c.put("issuer-street", "Rua Augusta");
        c.put("issuer-number", "1500");
        c.put("issuer-district", "Consolacao");
        c.put("issuer-municipality-code", "3550308");
        c.put("issuer-municipality-name", "Sao Paulo");
        c.put("issuer-uf", "SP");
        c.put("issuer-postal-code", "01304001");
        return c;
    }

    /** Copies the stand-in schemas (not the official ones: see their README) from the classpath into {@code dir}. */
    public static Path standInSchemas(Path dir) throws IOException {
        Files.createDirectories(dir);
        java.util.Set<String> files = new java.util.LinkedHashSet<>(FiscalSchemas.DPS_FILES);
        files.addAll(FiscalSchemas.EVENT_FILES);
        for (String file : files) {
            try (InputStream in = FiscalTestKit.class.getResourceAsStream("/stand-in-schemas/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("stand-in schema " + file + " not on the classpath");
                }
                Files.copy(in, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** A self-signed A1-like PKCS#12 for {@link #ISSUER}, valid for {@code days}, password {@link #PASSWORD}. */
    public static Path certificate(Path file, int days) throws Exception {
        Keytool.await(Keytool.start(file, "clinica", Keytool.DNAME, days));
        return file;
    }

    /**
     * Like {@link #certificate}, valid both at {@code testNow} (a test's simulated clock, which may lie before or
     * after the real time) and now.
     */
    public static Path certificateValidAt(Path file, java.time.Instant testNow) throws Exception {
        Keytool.await(Keytool.startValidAt(file, "clinica", Keytool.DNAME, testNow));
        return file;
    }
}
