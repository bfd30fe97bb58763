package dev.ponte.hub;

import dev.ponte.spi.ConnectorConfig;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * When the certificate of each connector instance that has one expires: the instances whose options name a PKCS#12
 * file ({@code certificate}, with {@code certificate-password} and optionally {@code certificate-alias}, as the fiscal
 * connectors declare them), read with the JDK's key store. For the {@code certificate-expiry} alert.
 */
final class CertificateExpiries {

    /** An instance's certificate: when it expires, or why it cannot be read. */
    record Expiry(String instance, Instant notAfter, String problem) {
    }

    private CertificateExpiries() {
    }

    static Map<String, Expiry> of(Collection<ConnectorConfig> configs) {
        Map<String, Expiry> out = new LinkedHashMap<>();
        for (ConnectorConfig c : configs) {
            if (!c.has("certificate")) {
                continue;
            }
            Path file = c.path("certificate");
            String password = c.has("certificate-password") ? c.string("certificate-password") : "";
            try (InputStream in = Files.newInputStream(file)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(in, password.toCharArray());
                String alias = c.has("certificate-alias") ? c.string("certificate-alias")
                        : Collections.list(store.aliases()).stream().filter(a -> {
                            try {
                                return store.isKeyEntry(a);
                            } catch (java.security.KeyStoreException e) {
                                return false;
                            }
                        }).findFirst().orElse(null);
                if (alias == null || !(store.getCertificate(alias) instanceof X509Certificate x509)) {
                    out.put(c.instance(), new Expiry(c.instance(), null, "no certificate with a key in " + file));
                    continue;
                }
                out.put(c.instance(), new Expiry(c.instance(), x509.getNotAfter().toInstant(), null));
            } catch (Exception e) {
                // the password is never in the message: the key store says only that it could not be read
                out.put(c.instance(), new Expiry(c.instance(), null, "cannot read " + c.fullKey("certificate") + " ("
                        + e.getClass().getSimpleName() + ")"));
            }
        }
        return out;
    }
}
