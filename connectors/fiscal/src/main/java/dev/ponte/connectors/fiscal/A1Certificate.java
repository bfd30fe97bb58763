package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.Health;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The clinic's ICP-Brasil A1 certificate: one private key and its X.509 certificate, read from a PKCS#12 file
 * ({@code .pfx}/{@code .p12}) protected by a password. The password is used to open the file and is not kept.
 * Neither the password nor the key ever appears in a message, a log line or {@link #toString()}; the subject's CN
 * and the dates do (they are printed on the certificate and are no secret).
 *
 * <p>Errors are {@link ConfigurationException}s that name the option to fix under {@code ponte.connectors.<instance>.}:
 * {@value #CERTIFICATE} (the file), {@value #PASSWORD} and {@value #ALIAS} (which entry, when the file holds more than
 * one private key).
 */
public final class A1Certificate {

    /** Option: path of the PKCS#12 file. */
    public static final String CERTIFICATE = "certificate";
    /** Option: password of the PKCS#12 file. */
    public static final String PASSWORD = "certificate-password";
    /** Option: alias of the entry to use, when the file holds several private keys. */
    public static final String ALIAS = "certificate-alias";

    /** How long before {@code notAfter} the certificate is reported {@link Expiry.State#EXPIRING}. */
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(30);

    /** ICP-Brasil otherName of a legal person's certificate that holds the CNPJ (DOC-ICP-04). */
    static final String OID_CNPJ = "2.16.76.1.3.3";

    private final String alias;
    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String subjectCn;
    private final String cnpj;

    private A1Certificate(String alias, X509Certificate certificate, PrivateKey privateKey) {
        this.alias = alias;
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.subjectCn = commonName(certificate.getSubjectX500Principal()).orElse(
                certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
        this.cnpj = cnpjOf(certificate).orElse(null);
    }

    /**
     * Loads the one private-key entry of a PKCS#12 file.
     *
     * @param instance the connector instance, to name the options in errors
     * @param file     the PKCS#12 file
     * @param password its password (the caller may wipe the array afterwards)
     * @param alias    the entry to use; {@code null} to take the only private-key entry
     * @throws ConfigurationException when the file is missing, unreadable or not PKCS#12, the password is wrong, or
     *                                the entry to use cannot be told
     */
    public static A1Certificate load(String instance, Path file, char[] password, String alias) {
        Objects.requireNonNull(instance, "instance");
        return loadConfigured("ponte.connectors." + instance + ".", file, password, alias);
    }

    /**
     * As {@link #load}, for a caller whose options live under another prefix than a connector instance's: errors
     * name {@code keyPrefix + }{@value #CERTIFICATE}, {@value #PASSWORD} and {@value #ALIAS}.
     *
     * @param keyPrefix the prefix of the options, with its final dot ({@code ponte.fiscal.})
     * @throws ConfigurationException as {@link #load}
     */
    public static A1Certificate loadConfigured(String keyPrefix, Path file, char[] password, String alias) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        Objects.requireNonNull(file, "file");
        String fileKey = key(keyPrefix, CERTIFICATE);
        String passwordKey = key(keyPrefix, PASSWORD);
        if (password == null || password.length == 0) {
            throw problem(passwordKey + ": empty; set the password of the PKCS#12 file " + file
                    + " (an A1 certificate always has one)", null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw problem(fileKey + ": the file " + file + " does not exist; set the path of the clinic's A1 "
                    + "certificate (.pfx or .p12)", e);
        } catch (AccessDeniedException e) {
            throw problem(fileKey + ": the file " + file + " cannot be read by the hub (permission denied); let "
                    + "the hub's user read it", e);
        } catch (IOException e) {
            throw problem(fileKey + ": cannot read " + file + " (" + e.getClass().getSimpleName() + ")", e);
        }
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
        } catch (KeyStoreException e) {
            throw new IllegalStateException("this JDK has no PKCS12 key store", e);
        }
        try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
            store.load(in, password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || isBadPassword(e)) {
                throw problem(passwordKey + ": wrong password for the PKCS#12 file " + file + " (" + fileKey
                        + "); set the password the certificate was delivered with", e);
            }
            throw problem(fileKey + ": " + file + " is not a PKCS#12 (.pfx/.p12) file, or it is damaged ("
                    + e.getClass().getSimpleName() + "); export the A1 certificate with its private key as .pfx", e);
        } catch (GeneralSecurityException e) {
            throw problem(fileKey + ": cannot open the PKCS#12 file " + file + " (" + e.getClass().getSimpleName()
                    + ")", e);
        }
        return pick(store, keyPrefix, file, password, alias);
    }

    private static A1Certificate pick(KeyStore store, String keyPrefix, Path file, char[] password, String alias) {
        String fileKey = key(keyPrefix, CERTIFICATE);
        List<String> keyAliases = new ArrayList<>();
        try {
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keyAliases.add(a);
                }
            }
        } catch (KeyStoreException e) {
            throw problem(fileKey + ": cannot list the entries of " + file, e);
        }
        Collections.sort(keyAliases);
        String chosen;
        if (alias != null && !alias.isBlank()) {
            chosen = keyAliases.stream().filter(a -> a.equalsIgnoreCase(alias.strip())).findFirst()
                    .orElseThrow(() -> problem(key(keyPrefix, ALIAS) + ": the file " + file + " has no private key "
                            + "entry '" + alias.strip() + "'; its private key entries are " + keyAliases, null));
        } else if (keyAliases.isEmpty()) {
            throw problem(fileKey + ": the file " + file + " holds no private key (only certificates); export the "
                    + "A1 certificate together with its private key", null);
        } else if (keyAliases.size() > 1) {
            throw problem(key(keyPrefix, ALIAS) + ": the file " + file + " holds " + keyAliases.size()
                    + " private keys " + keyAliases + "; set which one to use", null);
        } else {
            chosen = keyAliases.get(0);
        }
        try {
            KeyStore.Entry entry = store.getEntry(chosen, new KeyStore.PasswordProtection(password));
            if (!(entry instanceof KeyStore.PrivateKeyEntry pk)) {
                throw problem(fileKey + ": entry '" + chosen + "' of " + file + " is not a private key", null);
            }
            Certificate leaf = pk.getCertificate();
            if (!(leaf instanceof X509Certificate x509)) {
                throw problem(fileKey + ": entry '" + chosen + "' of " + file + " has no X.509 certificate", null);
            }
            return new A1Certificate(chosen, x509, pk.getPrivateKey());
        } catch (UnrecoverableKeyException e) {
            throw problem(key(keyPrefix, PASSWORD) + ": the private key '" + chosen + "' of " + file
                    + " has another password than the file; re-export the certificate with one password", e);
        } catch (GeneralSecurityException e) {
            throw problem(fileKey + ": cannot read entry '" + chosen + "' of " + file + " ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** The JDK reports a wrong PKCS#12 password as an IOException whose message says so (and names no secret). */
    private static boolean isBadPassword(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("password") || t instanceof UnrecoverableKeyException
                    || t instanceof javax.crypto.BadPaddingException) {
                return true;
            }
        }
        return false;
    }

    private static String key(String prefix, String option) {
        return prefix + option;
    }

    private static ConfigurationException problem(String message, Throwable cause) {
        ConfigurationException e = new ConfigurationException(List.of(message));
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    /** The alias of the entry used. */
    public String alias() {
        return alias;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The subject's common name (for an ICP-Brasil e-CNPJ, {@code NAME:CNPJ}); the full subject when it has none. */
    public String subjectCn() {
        return subjectCn;
    }

    /** The CNPJ of the holder (14 digits), from the subject CN or the ICP-Brasil otherName, when present. */
    public Optional<String> cnpj() {
        return Optional.ofNullable(cnpj);
    }

    public Instant notBefore() {
        return certificate.getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    /** Where the certificate stands at {@code now}. */
    public Expiry expiry(Instant now) {
        Objects.requireNonNull(now, "now");
        Instant from = notBefore();
        Instant until = notAfter();
        String name = "certificate '" + subjectCn + "'";
        if (now.isBefore(from)) {
            return new Expiry(Expiry.State.NOT_YET_VALID, name + " is not valid before " + day(from)
                    + " (now " + day(now) + "); check the server clock or wait for that date");
        }
        if (now.isAfter(until)) {
            return new Expiry(Expiry.State.EXPIRED, name + " expired on " + day(until)
                    + "; fiscal documents cannot be signed: install the renewed A1 certificate");
        }
        long days = Duration.between(now, until).toDays();
        if (!now.isBefore(until.minus(EXPIRING_WITHIN))) {
            return new Expiry(Expiry.State.EXPIRING, name + " expires on " + day(until) + " (in " + days
                    + " day" + (days == 1 ? "" : "s") + "); renew the A1 certificate");
        }
        return new Expiry(Expiry.State.VALID, name + " valid until " + day(until) + " (" + days + " days)");
    }

    private static String day(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /**
     * The state of the certificate at one instant.
     *
     * @param state   where it stands
     * @param message for {@code /health}: names the subject CN and the date (never a secret)
     */
    public record Expiry(State state, String message) {

        public enum State { VALID, EXPIRING, EXPIRED, NOT_YET_VALID }

        /** Whether documents can be signed with it now (valid or expiring). */
        public boolean usable() {
            return state == State.VALID || state == State.EXPIRING;
        }

        /** UP while valid, DEGRADED in its last {@link #EXPIRING_WITHIN} (it still signs), DOWN when not usable. */
        public Health health() {
            return state == State.VALID ? Health.up(message) : usable() ? Health.degraded(message)
                    : Health.down(message);
        }
    }

    static Optional<String> commonName(X500Principal subject) {
        try {
            LdapName name = new LdapName(subject.getName(X500Principal.RFC2253));
            List<Rdn> rdns = name.getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if ("CN".equalsIgnoreCase(rdns.get(i).getType())) {
                    return Optional.of(String.valueOf(rdns.get(i).getValue()));
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    /** The CNPJ from the CN ({@code NAME:CNPJ}) or, failing that, from the otherName {@value #OID_CNPJ}. */
    static Optional<String> cnpjOf(X509Certificate certificate) {
        Optional<String> fromCn = commonName(certificate.getSubjectX500Principal()).flatMap(A1Certificate::cnpjInCn);
        if (fromCn.isPresent()) {
            return fromCn;
        }
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> n : names) {
                    if (n.size() >= 2 && Integer.valueOf(0).equals(n.get(0)) && n.get(1) instanceof byte[] der) {
                        Optional<String> cnpj = cnpjInOtherName(der);
                        if (cnpj.isPresent()) {
                            return cnpj;
                        }
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    static Optional<String> cnpjInCn(String cn) {
        int colon = cn.lastIndexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String tail = cn.substring(colon + 1).strip();
        return tail.matches("\\d{14}") ? Optional.of(tail) : Optional.empty();
    }

    /**
     * The CNPJ in the DER of an otherName ({@code SEQUENCE { type-id OID, [0] EXPLICIT value }}) when its type is
     * {@value #OID_CNPJ}; the value is a string type (ICP-Brasil uses OCTET STRING or PrintableString) of 14 digits.
     */
    static Optional<String> cnpjInOtherName(byte[] der) {
        try {
            Der seq = Der.read(der, 0);
            if (seq.tag != 0x30 && seq.tag != 0xA0) { // a SEQUENCE, or the GeneralName's implicit [0] tag
                return Optional.empty();
            }
            Der oid = Der.read(der, seq.start);
            if (oid.tag != 0x06 || !OID_CNPJ.equals(oidString(der, oid.start, oid.length))) {
                return Optional.empty();
            }
            Der explicit = Der.read(der, oid.end());
            if (explicit.tag != 0xA0) {
                return Optional.empty();
            }
            Der value = Der.read(der, explicit.start);
            if (value.tag != 0x04 && value.tag != 0x13 && value.tag != 0x0C && value.tag != 0x16) {
                return Optional.empty();
            }
            String text = new String(der, value.start, value.length, StandardCharsets.ISO_8859_1).strip();
            return text.matches("\\d{14}") ? Optional.of(text) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String oidString(byte[] der, int start, int length) {
        StringBuilder sb = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = start; i < start + length; i++) {
            value = (value << 7) | (der[i] & 0x7F);
            if ((der[i] & 0x80) == 0) {
                if (first) {
                    long a = Math.min(value / 40, 2);
                    sb.append(a).append('.').append(value - a * 40);
                    first = false;
                } else {
                    sb.append('.').append(value);
                }
                value = 0;
            }
        }
        return sb.toString();
    }

    /** One DER tag-length-value header: the tag, where the content starts and how long it is. */
    private record Der(int tag, int start, int length) {

        static Der read(byte[] der, int at) {
            int tag = der[at] & 0xFF;
            int len = der[at + 1] & 0xFF;
            int start = at + 2;
            if (len > 0x80) {
                int n = len & 0x7F;
                if (n > 3) {
                    throw new IllegalArgumentException("DER length too long");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (der[start + i] & 0xFF);
                }
                start += n;
            } else if (len == 0x80) {
                throw new IllegalArgumentException("indefinite DER length");
            }
            if (start + len > der.length) {
                throw new IllegalArgumentException("DER value runs past the end");
            }
            return new Der(tag, start, len);
        }

        int end() {
            return start + length;
        }
    }

    @Override
    public String toString() {
        return "A1Certificate[" + subjectCn + ", alias " + alias + ", valid " + day(notBefore()) + " to "
                + day(notAfter()) + "]";
    }
}
