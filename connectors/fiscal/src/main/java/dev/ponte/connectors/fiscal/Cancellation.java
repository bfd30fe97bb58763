package dev.ponte.connectors.fiscal;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Objects;

/**
 * The request to cancel an authorized NFS-e: the national event 101101 ({@code pedRegEvento} leiaute 1.00, or 1.01
 * with {@link #xml(Dps.Layout)}: the same elements, only {@code versao} differs), written
 * unsigned in schema order ({@code tpAmb}, {@code verAplic}, {@code dhEvento}, {@code CNPJAutor}, {@code chNFSe},
 * {@code nPedRegEvento} 001, {@code e101101} with {@code xDesc}, {@code cMotivo}, {@code xMotivo}); a signer adds
 * {@code ds:Signature} after {@code infPedReg}. Checked when built: the messages name the element.
 *
 * @param accessKey   the NFS-e's 50-digit {@code chNFSe}
 * @param environment {@code tpAmb}
 * @param authorCnpj  the issuer's CNPJ ({@code CNPJAutor})
 * @param at          {@code dhEvento}, written to the second with its offset
 * @param reason      {@code cMotivo}
 * @param text        {@code xMotivo}, 15 to 255 characters
 * @param applicationVersion {@code verAplic}
 */
public record Cancellation(String accessKey, Dps.Environment environment, String authorCnpj, OffsetDateTime at,
                           Reason reason, String text, String applicationVersion) {

    /** The event type of a cancellation. */
    public static final String EVENT = "101101";
    /** A cancellation happens once: its request number is always 1. */
    public static final String REQUEST_NUMBER = "001";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");
    private static final XMLOutputFactory OUTPUT = XMLOutputFactory.newFactory();

    /** {@code cMotivo}. */
    public enum Reason {
        /** 1: an error in the issue. */
        ISSUE_ERROR("1"),
        /** 2: the service was not provided. */
        SERVICE_NOT_PROVIDED("2"),
        /** 9: another reason (the text says which). */
        OTHER("9");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        /** {@code issue-error}, {@code ISSUE_ERROR} → ISSUE_ERROR; else null. */
        public static Reason parse(String value) {
            if (value == null) {
                return null;
            }
            String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Reason r : values()) {
                if (r.name().equals(v) || r.code.equals(v)) {
                    return r;
                }
            }
            return null;
        }
    }

    public Cancellation {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
        if (accessKey == null || !accessKey.matches("\\d{50}")) {
            throw new IllegalArgumentException("chNFSe: the NFS-e's access key must be 50 digits");
        }
        if (authorCnpj == null || !TaxIds.isValidCnpj(authorCnpj)) {
            throw new IllegalArgumentException("CNPJAutor: must be the issuer's CNPJ");
        }
        text = text == null ? null : text.strip().replaceAll("\\s+", " ");
        if (text == null || text.length() < 15 || text.length() > 255) {
            throw new IllegalArgumentException("xMotivo: the reason must have 15 to 255 characters (it has "
                    + (text == null ? 0 : text.length()) + ")");
        }
        at = at.truncatedTo(ChronoUnit.SECONDS);
        applicationVersion = applicationVersion == null ? ClinicSettings.DEFAULT_APPLICATION_VERSION
                : applicationVersion;
    }

    /** {@code PRE} + access key + event type + request number: the {@code infPedReg} Id (62 characters). */
    public String id() {
        return "PRE" + accessKey + EVENT + REQUEST_NUMBER;
    }

    /** The unsigned document of leiaute 1.00, starting with the XML declaration. */
    public String xml() {
        return xml(Dps.Layout.V1_00);
    }

    /** The unsigned document of {@code layout} (its {@code versao}), starting with the XML declaration. */
    public String xml(Dps.Layout layout) {
        StringWriter out = new StringWriter(1024);
        try {
            XMLStreamWriter w = OUTPUT.createXMLStreamWriter(out);
            w.writeStartDocument("UTF-8", "1.0");
            w.writeStartElement("pedRegEvento");
            w.writeDefaultNamespace(DpsXml.NAMESPACE);
            w.writeAttribute("versao", layout.version());
            w.writeStartElement("infPedReg");
            w.writeAttribute("Id", id());
            leaf(w, "tpAmb", environment.code());
            leaf(w, "verAplic", applicationVersion);
            leaf(w, "dhEvento", DATE_TIME.format(at));
            leaf(w, "CNPJAutor", authorCnpj);
            leaf(w, "chNFSe", accessKey);
            leaf(w, "nPedRegEvento", REQUEST_NUMBER);
            w.writeStartElement("e" + EVENT);
            leaf(w, "xDesc", "Cancelamento de NFS-e");
            leaf(w, "cMotivo", reason.code());
            leaf(w, "xMotivo", text);
            w.writeEndElement();
            w.writeEndElement(); // infPedReg
            w.writeEndElement(); // pedRegEvento
            w.writeEndDocument();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the cancellation request: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private static void leaf(XMLStreamWriter w, String name, String text) throws XMLStreamException {
        w.writeStartElement(name);
        w.writeCharacters(text);
        w.writeEndElement();
    }
}
