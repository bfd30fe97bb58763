package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Health;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/**
 * What the two fiscal connectors ({@code nfse-nacional}, {@code nfe-sefaz}) share about their instances: the
 * certificate options and their checks, the certificate they sign with, and their health.
 */
final class FiscalInstances {

    /** Whether the authority answers: any HTTP status. */
    @FunctionalInterface
    interface Probe {
        int status() throws IOException, InterruptedException;
    }

    private FiscalInstances() {
    }

    /** The certificate options, for {@code what} ("the DPS", "the NF-e"). */
    static List<ConfigField> certificateFields(String what) {
        return List.of(
                ConfigField.optional(A1Certificate.CERTIFICATE, ConfigType.PATH, null, "The clinic's A1 certificate "
                        + "(PKCS#12 file, .pfx/.p12, ICP-Brasil e-CNPJ): signs " + what + " and authenticates the TLS "
                        + "calls; required unless sandbox=true, where the Ponte sandbox certificate (not valid at the "
                        + "authority) is made in the data directory"),
                ConfigField.secret(A1Certificate.PASSWORD, "Password of the certificate file", false),
                ConfigField.optional(A1Certificate.ALIAS, ConfigType.STRING, null, "Alias of the key entry when the "
                        + "file holds more than one"));
    }

    /** The certificate's rules: required unless in sandbox mode; its password with it. */
    static List<ConfigRule> certificateRules() {
        return List.of(
                ConfigRule.of("required unless sandbox=true (the clinic's A1 certificate signs what is sent)",
                        c -> c.sandbox() || c.has(A1Certificate.CERTIFICATE), A1Certificate.CERTIFICATE),
                ConfigRule.of("required with certificate (the password of the PKCS#12 file)",
                        c -> !c.has(A1Certificate.CERTIFICATE) || c.has(A1Certificate.PASSWORD),
                        A1Certificate.PASSWORD, A1Certificate.CERTIFICATE));
    }

    /** The certificate checks of {@code Connector.validate}: readable, opens with its password, the issuer's. */
    static void checkCertificate(ConnectorConfig config, String issuerCnpj, List<String> problems) {
        if (!config.has(A1Certificate.CERTIFICATE)) {
            return; // sandbox mode: the sandbox certificate is made when the instance opens
        }
        if (!Files.isReadable(config.path(A1Certificate.CERTIFICATE))) {
            problems.add(config.fullKey(A1Certificate.CERTIFICATE) + ": cannot read " + config.path(
                    A1Certificate.CERTIFICATE) + "; set the path of the clinic's A1 certificate (.pfx/.p12)");
            return;
        }
        try {
            configured(config, issuerCnpj);
        } catch (ConfigurationException e) {
            problems.addAll(e.problems());
        }
    }

    /** The configured certificate, or in sandbox mode without one the Ponte sandbox certificate of the issuer. */
    static A1Certificate certificate(ConnectorContext context, String issuerCnpj) {
        return context.config().has(A1Certificate.CERTIFICATE) ? configured(context.config(), issuerCnpj)
                : sandbox(context, issuerCnpj);
    }

    /**
     * The configured certificate, refused when its CNPJ is another company's than {@code issuer}.
     *
     * @param issuer the issuer's CNPJ, or null when it is not known (not valid): the company is then not compared
     */
    static A1Certificate configured(ConnectorConfig config, String issuer) {
        A1Certificate cert = A1Certificate.loadConfigured(config.fullKey(""), config.path(A1Certificate.CERTIFICATE),
                config.string(A1Certificate.PASSWORD).toCharArray(), config.string(A1Certificate.ALIAS));
        if (issuer != null && cert.cnpj().isPresent()
                && !cert.cnpj().get().substring(0, 8).equals(issuer.substring(0, 8))) {
            throw new ConfigurationException(List.of(config.fullKey(A1Certificate.CERTIFICATE) + ": the certificate '"
                    + cert.subjectCn() + "' belongs to another company than " + config.fullKey(FiscalConfig.CNPJ)
                    + " (the first 8 digits of the CNPJ differ); install the A1 certificate of the issuing clinic"));
        }
        return cert;
    }

    private static A1Certificate sandbox(ConnectorContext context, String cnpj) {
        try {
            return SandboxCertificate.obtain(context.dataDir(), cnpj).certificate();
        } catch (SandboxCertificate.NoKeytool | IOException e) {
            throw new ConfigurationException(List.of(context.config().fullKey(A1Certificate.CERTIFICATE)
                    + ": not set, and the sandbox certificate cannot be made: " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException(List.of(context.config().fullKey(A1Certificate.CERTIFICATE)
                    + ": interrupted while making the sandbox certificate"));
        }
    }

    /**
     * The health of a fiscal instance: the certificate (DEGRADED in its last 30 days, DOWN once expired) and, out of
     * sandbox mode, whether {@code authority} answers.
     *
     * @param authority what the probe asks, for the message ("the national NFS-e API at host")
     * @param waiting   what waits while it does not answer ("invoices", "NF-e")
     */
    static Health health(ConnectorContext context, A1Certificate certificate, String authority, String waiting,
                         Probe probe) {
        A1Certificate.Expiry expiry = certificate.expiry(context.clock().instant());
        if (!expiry.usable()) {
            return expiry.health();
        }
        boolean expiring = expiry.state() == A1Certificate.Expiry.State.EXPIRING;
        if (context.config().sandbox()) {
            String what = "sandbox mode: documents are signed and recorded, " + authority + " is not called; "
                    + expiry.message();
            return expiring ? Health.degraded(what) : Health.up(what);
        }
        String remote;
        try {
            remote = authority + " answers (HTTP " + probe.status() + ")";
        } catch (IOException e) {
            return Health.down(authority + " does not answer (" + e.getClass().getSimpleName() + "); " + waiting
                    + " wait in ponte.out." + context.instance() + " and are issued once it answers; "
                    + expiry.message());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down("health check interrupted");
        }
        return expiring ? Health.degraded(expiry.message() + "; " + remote) : Health.up(remote + "; "
                + expiry.message());
    }
}
