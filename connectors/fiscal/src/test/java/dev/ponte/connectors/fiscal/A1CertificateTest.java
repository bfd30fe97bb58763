package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.security.KeyStore;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class A1CertificateTest {

    private static final String INSTANCE = "nfse-sp";

    @TempDir
    static Path dir;

    static Path valid;
    static Path expired;
    static Path two;

    @BeforeAll
    static void certificates() throws Exception {
        valid = dir.resolve("clinic.p12");
        expired = dir.resolve("expired.p12");
        two = dir.resolve("two.p12");
        Keytool.await(Keytool.start(valid, "clinica", Keytool.DNAME, 365),
                Keytool.start(expired, "old", "CN=CLINICA ANTIGA LTDA:11222333000181, OU=Ponte test, C=BR", 30,
                        "-startdate", "-400d"));
        // a file with two private keys, put together from the two above (saves a keytool run)
        char[] pw = Keytool.PASSWORD.toCharArray();
        KeyStore both = KeyStore.getInstance("PKCS12");
        both.load(null, pw);
        for (Map.Entry<Path, String> e : Map.of(valid, "second", expired, "first").entrySet()) {
            KeyStore one = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(e.getKey())) {
                one.load(in, pw);
            }
            String alias = one.aliases().nextElement();
            both.setEntry(e.getValue(), one.getEntry(alias, new KeyStore.PasswordProtection(pw)),
                    new KeyStore.PasswordProtection(pw));
        }
        try (OutputStream out = Files.newOutputStream(two)) {
            both.store(out, pw);
        }
    }

    private static A1Certificate load(Path file) {
        return A1Certificate.load(INSTANCE, file, Keytool.PASSWORD.toCharArray(), null);
    }

    @Test
    void loadsTheKeyTheCertificateAndTheCnpjFromTheCn() {
        A1Certificate cert = load(valid);

        assertThat(cert.alias()).isEqualTo("clinica");
        assertThat(cert.subjectCn()).isEqualTo("CLINICA BELA LTDA:12345678000195");
        assertThat(cert.cnpj()).contains("12345678000195");
        assertThat(cert.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(cert.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(cert.certificate().getSubjectX500Principal().getName()).contains("OU=Ponte test");
        assertThat(cert.notAfter()).isAfter(Instant.now().plus(Duration.ofDays(360)));
        assertThat(cert.toString()).contains("CLINICA BELA LTDA").doesNotContain(Keytool.PASSWORD);
        assertThat(cert.expiry(Instant.now()).state()).isEqualTo(A1Certificate.Expiry.State.VALID);
    }

    @Test
    void aWrongPasswordNamesTheOptionAndNeverThePassword() {
        String wrong = "Wr0ng-Secret-42";
        assertThatThrownBy(() -> A1Certificate.load(INSTANCE, valid, wrong.toCharArray(), null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate-password")
                .hasMessageContaining("wrong password")
                .hasMessageContaining(valid.toString())
                .hasMessageNotContaining(wrong)
                .hasMessageNotContaining(Keytool.PASSWORD);
    }

    @Test
    void anEmptyPasswordIsRefusedBeforeTheFileIsRead() {
        assertThatThrownBy(() -> A1Certificate.load(INSTANCE, valid, new char[0], null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate-password: empty");
    }

    @Test
    void aMissingFileNamesTheCertificateOption() {
        Path missing = dir.resolve("nowhere.pfx");
        assertThatThrownBy(() -> load(missing))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate:")
                .hasMessageContaining("does not exist")
                .hasMessageContaining(missing.toString())
                .hasMessageNotContaining(Keytool.PASSWORD);
    }

    @Test
    void aFileThatIsNotPkcs12NamesTheCertificateOption() throws Exception {
        Path pem = dir.resolve("clinic.pem");
        Files.writeString(pem, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> load(pem))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate:")
                .hasMessageContaining("is not a PKCS#12")
                .hasMessageNotContaining(Keytool.PASSWORD);
    }

    @Test
    void severalKeysNeedAnAliasAndTheErrorListsThem() {
        assertThatThrownBy(() -> load(two))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate-alias")
                .hasMessageContaining("[first, second]");

        A1Certificate second = A1Certificate.load(INSTANCE, two, Keytool.PASSWORD.toCharArray(), "second");
        assertThat(second.alias()).isEqualTo("second");
        assertThat(second.cnpj()).contains("12345678000195");
        A1Certificate first = A1Certificate.load(INSTANCE, two, Keytool.PASSWORD.toCharArray(), "first");
        assertThat(first.cnpj()).contains("11222333000181");

        assertThatThrownBy(() -> A1Certificate.load(INSTANCE, two, Keytool.PASSWORD.toCharArray(), "third"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ponte.connectors.nfse-sp.certificate-alias")
                .hasMessageContaining("'third'")
                .hasMessageContaining("[first, second]");
    }

    @Test
    void expiryStatesWithAnInjectedNow() {
        A1Certificate cert = load(valid);
        Instant from = cert.notBefore();
        Instant until = cert.notAfter();
        String untilText = until.truncatedTo(ChronoUnit.SECONDS).toString();

        A1Certificate.Expiry ok = cert.expiry(from.plus(Duration.ofDays(1)));
        assertThat(ok.state()).isEqualTo(A1Certificate.Expiry.State.VALID);
        assertThat(ok.message()).contains("CLINICA BELA LTDA:12345678000195").contains(untilText);
        assertThat(ok.health().state()).isEqualTo("UP");

        assertThat(cert.expiry(until.minus(Duration.ofDays(30)).minusSeconds(1)).state())
                .isEqualTo(A1Certificate.Expiry.State.VALID);
        assertThat(cert.expiry(until.minus(Duration.ofDays(30))).state())
                .isEqualTo(A1Certificate.Expiry.State.EXPIRING);
        A1Certificate.Expiry soon = cert.expiry(until.minus(Duration.ofDays(10)));
        assertThat(soon.state()).isEqualTo(A1Certificate.Expiry.State.EXPIRING);
        assertThat(soon.message()).contains("CLINICA BELA LTDA:12345678000195").contains(untilText)
                .contains("in 10 days").contains("renew");
        assertThat(soon.health().state()).isEqualTo("DEGRADED");
        assertThat(cert.expiry(until).state()).isEqualTo(A1Certificate.Expiry.State.EXPIRING);

        A1Certificate.Expiry gone = cert.expiry(until.plusSeconds(1));
        assertThat(gone.state()).isEqualTo(A1Certificate.Expiry.State.EXPIRED);
        assertThat(gone.message()).contains("CLINICA BELA LTDA").contains("expired on " + untilText);
        assertThat(gone.health().state()).isEqualTo("DOWN");

        A1Certificate.Expiry early = cert.expiry(from.minus(Duration.ofDays(1)));
        assertThat(early.state()).isEqualTo(A1Certificate.Expiry.State.NOT_YET_VALID);
        assertThat(early.message()).contains("CLINICA BELA LTDA")
                .contains(from.truncatedTo(ChronoUnit.SECONDS).toString());
        assertThat(early.usable()).isFalse();
    }

    @Test
    void aCertificateIssuedInThePastIsReportedExpiredToday() {
        A1Certificate old = load(expired);
        assertThat(old.notAfter()).isBefore(Instant.now());
        A1Certificate.Expiry expiry = old.expiry(Instant.now());
        assertThat(expiry.state()).isEqualTo(A1Certificate.Expiry.State.EXPIRED);
        assertThat(expiry.health().detail()).contains("CLINICA ANTIGA LTDA:11222333000181");
        assertThat(old.cnpj()).contains("11222333000181");
    }

    @Test
    void cnpjFromTheIcpBrasilOtherName() {
        byte[] cnpj = "12345678000195".getBytes(StandardCharsets.US_ASCII);
        byte[] der = new byte[2 + 7 + 2 + 2 + cnpj.length];
        int i = 0;
        der[i++] = 0x30;
        der[i++] = (byte) (7 + 2 + 2 + cnpj.length);
        for (int b : new int[]{0x06, 0x05, 0x60, 0x4C, 0x01, 0x03, 0x03}) {
            der[i++] = (byte) b;
        }
        der[i++] = (byte) 0xA0;
        der[i++] = (byte) (2 + cnpj.length);
        der[i++] = 0x04;
        der[i++] = (byte) cnpj.length;
        System.arraycopy(cnpj, 0, der, i, cnpj.length);

        assertThat(A1Certificate.cnpjInOtherName(der)).contains("12345678000195");

        byte[] otherOid = der.clone();
        otherOid[8] = 0x01; // 2.16.76.1.3.1: the holder's birth date and CPF, not the CNPJ
        assertThat(A1Certificate.cnpjInOtherName(otherOid)).isEmpty();
        assertThat(A1Certificate.cnpjInOtherName(new byte[]{0x30, 0x05, 0x06})).isEmpty();
    }

    @Test
    void cnpjFromTheCnOnlyWhenItEndsInFourteenDigits() {
        assertThat(A1Certificate.cnpjInCn("CLINICA BELA LTDA:12345678000195")).contains("12345678000195");
        assertThat(A1Certificate.cnpjInCn("CLINICA BELA LTDA")).isEmpty();
        assertThat(A1Certificate.cnpjInCn("MARIA DA SILVA:123456789")).isEmpty();
    }
}
