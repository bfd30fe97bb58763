package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.xml.SafeXml;
import org.w3c.dom.Document;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The signed NF-e 4.00 (model 55) of a product sale, the counterpart of {@link DpsPreview} for products: the charge's
 * canonical records are turned into the library's NF-e model ({@code com.github.wmixvideo:nfe}), its XML is signed
 * (XMLDSig on {@code infNFe}, {@link XmlSignature.Algorithms#NFE}) with the clinic's A1 certificate and the signed
 * document is validated against the NF-e schema the library ships ({@code nfe_v4.00.xsd}, PL_010b). Nothing is
 * sent. The same inputs give the same bytes: {@code cNF} is derived from CNPJ, series and number (see
 * {@link #sign}), {@code dhEmi} from the given instant, and the RSA signature is deterministic, so a retry sends the
 * same document with the same access key. An invalid document is returned as {@link Result.Invalid}, never as text
 * to send. Never logs; problems never quote personal values. Thread safe.
 */
public final class NfeDocuments {

    /** What signing one charge gave. */
    public sealed interface Result {

        /**
         * A signed NF-e that validates against the schema.
         *
         * @param key    its access key ({@code infNFe/@Id} is {@link AccessKey#infNFeId()})
         * @param number the NF-e number ({@code nNF}) it carries
         * @param xml    the document: {@link DpsPreview#DECLARATION}, then {@code NFe} with {@code infNFe} and the
         *               enveloped {@code Signature} after it
         */
        record Signed(AccessKey key, long number, String xml) implements Result {
        }

        /** The canonical records (or the clinic's regime) do not make an NF-e: which record, which field, why. */
        record Refused(List<CanonicalProblem> problems) implements Result {
            public Refused {
                problems = List.copyOf(problems);
            }
        }

        /**
         * An NF-e was built and signed but breaks the schema: every problem, in document order.
         *
         * @param id the {@code infNFe} Id, {@code NFe} and the 44-digit key
         */
        record Invalid(String id, List<SchemaProblem> problems) implements Result {
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    private final NfeFromCanonical builder;
    private final A1Certificate certificate;

    /**
     * @param settings    the clinic's NF-e settings (issuer, regime, series, environment)
     * @param certificate the certificate to sign with (the clinic's A1, or a sandbox one)
     * @throws IllegalStateException when the library's schemas are not on the classpath
     */
    public NfeDocuments(NfeSettings settings, A1Certificate certificate) {
        this.builder = new NfeFromCanonical(Objects.requireNonNull(settings, "settings"), codeSecret(
                Objects.requireNonNull(certificate, "certificate")));
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        BundledSchema.get();
    }

    /**
     * Builds, signs and validates the NF-e of one product charge.
     *
     * <p>{@code cNF} is the first 8 digits of HMAC-SHA256 over the CNPJ, the series and the number (rehashed in the
     * rare case it is a code the NT 2019.001 forbids or equals {@code nNF}), keyed by a secret only the holder of the
     * certificate's private key can compute ({@link #codeSecret}): the same NF-e always gets the same access key, and
     * nobody who knows the CNPJ, series and number can guess it.
     *
     * @param charge    the canonical Charge (its amount is the product's value; its first payment's method is
     *                  {@code tPag})
     * @param patient   its canonical Patient, the recipient ({@code dest})
     * @param procedure the canonical Procedure sold, of kind PRODUCT with an NCM
     * @param number    the NF-e number ({@code nNF}), 1 to 999 999 999, unique in the clinic's series
     * @param emittedAt {@code dhEmi}, written in the settings' zone to the second
     */
    public Result sign(JsonNode charge, JsonNode patient, JsonNode procedure, long number, Instant emittedAt) {
        NfeFromCanonical.Result built = builder.build(charge, patient, procedure, number, emittedAt);
        if (built instanceof NfeFromCanonical.Result.Problems p) {
            return new Result.Refused(p.problems());
        }
        NfeFromCanonical.Result.Built nfe = (NfeFromCanonical.Result.Built) built;
        String id = nfe.key().infNFeId();
        Document doc = SafeXml.parse(nfe.nota().toString().getBytes(StandardCharsets.UTF_8), "the NF-e " + id);
        XmlSignature.sign(doc, id, XmlSignature.Algorithms.NFE, certificate);
        String signed = DpsPreview.DECLARATION + DpsPreview.serialize(doc);
        List<SchemaProblem> problems = validate(signed);
        if (!problems.isEmpty()) {
            return new Result.Invalid(id, problems);
        }
        return new Result.Signed(nfe.key(), number, signed);
    }

    /**
     * Validates a document against the NF-e 4.00 schema the {@code nfe} library ships ({@code nfe_v4.00.xsd}, root
     * {@code NFe}, signature included).
     *
     * @return every problem, in document order; empty when valid. A document that is not well formed or declares a
     *         DOCTYPE gives one problem and is not read further. Values in {@code dest} are masked.
     */
    public List<SchemaProblem> validate(String xml) {
        Objects.requireNonNull(xml, "xml");
        return BundledSchema.get().validate(xml);
    }

    /** The bundled schema, compiled once on first use (it is large). */
    private static final class BundledSchema {
        private static final FiscalSchemas SCHEMAS = FiscalSchemas.nfeBundled();

        static FiscalSchemas get() {
            return SCHEMAS;
        }
    }

    /**
     * The key of {@code cNF}: SHA-256 of the certificate's RSA signature (PKCS#1 v1.5, deterministic) over a fixed
     * label. Stable for a certificate, unknowable without its private key, and no secret to store.
     */
    static byte[] codeSecret(A1Certificate certificate) {
        try {
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initSign(certificate.privateKey());
            rsa.update("ponte-nfe-cNF-key-v1".getBytes(StandardCharsets.UTF_8));
            return java.security.MessageDigest.getInstance("SHA-256").digest(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the NF-e code key from the certificate ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
