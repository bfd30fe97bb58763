package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.xml.SafeXml;
import org.w3c.dom.Document;

import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The signed DPS the hub would send for one charge, without sending it: the chain the fiscal connector will run
 * ({@link DpsFromCanonical} → {@link DpsXml} → {@link XmlSignature} on {@code infDPS} → validation of the signed
 * document against the official schemas), for {@code ponte invoice preview}. An invalid document is returned as
 * {@link Result.Invalid}, never as text to write. Never logs; problems never quote personal values (see
 * {@link CanonicalProblem} and {@link SchemaProblem}). Thread safe.
 */
public final class DpsPreview {

    /** The XML declaration every previewed document starts with. */
    public static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    /** What previewing one charge gave. */
    public sealed interface Result {

        /**
         * A signed DPS that validates against the official schema.
         *
         * @param id     the {@code infDPS} Id ({@code DPS3550308…}, 45 characters), the name of its file
         * @param number the DPS number ({@code nDPS}) it carries
         * @param xml    the document: {@link #DECLARATION}, then {@code DPS} with {@code ds:Signature}
         */
        record Signed(String id, long number, String xml) implements Result {
        }

        /** The canonical records do not make a DPS: which record, which field, what is wrong. */
        record Refused(List<CanonicalProblem> problems) implements Result {
            public Refused {
                problems = List.copyOf(problems);
            }
        }

        /** A DPS was built and signed but breaks the official schema: every problem, in document order. */
        record Invalid(String id, List<SchemaProblem> problems) implements Result {
            public Invalid {
                problems = List.copyOf(problems);
            }
        }
    }

    private final DpsFromCanonical builder;
    private final FiscalSchemas schemas;
    private final A1Certificate certificate;

    /**
     * @param settings    the clinic's fiscal settings (issuer, series, environment)
     * @param schemas     the official NFS-e schemas
     * @param certificate the certificate to sign with (the clinic's A1, or a sandbox one)
     */
    public DpsPreview(ClinicSettings settings, FiscalSchemas schemas, A1Certificate certificate) {
        this.builder = new DpsFromCanonical(Objects.requireNonNull(settings, "settings"));
        this.schemas = Objects.requireNonNull(schemas, "schemas");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Builds, signs and validates the DPS of one charge.
     *
     * @param charge     the canonical Charge
     * @param patient    its canonical Patient
     * @param procedure  the canonical Procedure of its appointment, or null (the default service item is used)
     * @param number     the DPS number to give it
     * @param emittedAt  {@code dhEmi}
     * @param competence {@code dCompet} (the day of the service), or null for the emission date
     */
    public Result preview(JsonNode charge, JsonNode patient, JsonNode procedure, long number, Instant emittedAt,
                          LocalDate competence) {
        DpsFromCanonical.Result built = builder.build(charge, patient, procedure, number, emittedAt, competence);
        if (built instanceof DpsFromCanonical.Result.Problems p) {
            return new Result.Refused(p.problems());
        }
        Dps dps = ((DpsFromCanonical.Result.Built) built).dps();
        String id = dps.id().value();
        Document doc = SafeXml.parse(DpsXml.write(dps).getBytes(StandardCharsets.UTF_8), "the DPS " + id);
        XmlSignature.sign(doc, id, XmlSignature.Algorithms.NFSE_NACIONAL, certificate);
        String signed = DECLARATION + serialize(doc);
        List<SchemaProblem> problems = schemas.validate(signed);
        if (!problems.isEmpty()) {
            return new Result.Invalid(id, problems);
        }
        return new Result.Signed(id, dps.number(), signed);
    }

    /**
     * Verifies the signature(s) of a document as read back (a written preview file): parsed with DTDs refused, then
     * {@link XmlSignature#verify}.
     */
    public static XmlSignature.Verification verify(byte[] xml) {
        return XmlSignature.verify(SafeXml.parse(xml, "the signed DPS"));
    }

    /** A signed document (or one element of a document) as text, byte for byte (no indentation, no declaration). */
    static String serialize(org.w3c.dom.Node doc) {
        try {
            TransformerFactory tf = TransformerFactory.newInstance();
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            tf.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer t = tf.newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            t.setOutputProperty(OutputKeys.INDENT, "no");
            StringWriter out = new StringWriter(8192);
            t.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("cannot write the signed DPS: " + e.getMessage(), e);
        }
    }
}
