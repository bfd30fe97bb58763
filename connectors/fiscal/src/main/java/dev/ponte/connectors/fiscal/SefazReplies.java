package dev.ponte.connectors.fiscal;

import dev.ponte.xml.HostileXmlException;
import dev.ponte.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;

/**
 * Reads the SEFAZ answers ({@code retEnviNFe}, {@code retConsSitNFe} inside their SOAP envelopes) through
 * {@link SafeXml} only: a DTD, an entity or an oversized answer is refused unread. Elements are found by local name
 * in the NF-e namespace, wherever the envelope puts them.
 */
final class SefazReplies {

    /**
     * The protocol of one NF-e ({@code protNFe/infProt}).
     *
     * @param code       {@code cStat}: 100 authorized, 150 authorized late, 204/539 duplicate, others refused
     * @param message    {@code xMotivo}
     * @param accessKey  {@code chNFe}
     * @param protocol   {@code nProt}, when given
     * @param receivedAt {@code dhRecbto}, when given
     * @param xml        the {@code protNFe} element as text (for the {@code nfeProc}), or null
     */
    record Protocol(String code, String message, String accessKey, String protocol, String receivedAt, String xml) {
        boolean authorized() {
            return "100".equals(code) || "150".equals(code);
        }

        boolean duplicate() {
            return "204".equals(code) || "539".equals(code);
        }
    }

    /**
     * An answer: the status of the request (the batch, or the query) and the NF-e's protocol when there is one.
     *
     * @param code     {@code cStat} of {@code retEnviNFe} (104: the batch was processed) or {@code retConsSitNFe}
     * @param message  its {@code xMotivo}
     * @param protocol the NF-e's protocol, or null
     */
    record Answer(String code, String message, Protocol protocol) {
    }

    private SefazReplies() {
    }

    /**
     * The answer of an envelope whose message is {@code root} ({@code retEnviNFe} or {@code retConsSitNFe}).
     *
     * @return the answer, or null when the body is not such an answer (an HTML error page, an empty body)
     * @throws HostileXmlException a DTD, an entity or an oversized document
     */
    static Answer read(String body, String root) {
        if (body == null || body.isBlank()) {
            return null;
        }
        Document doc;
        try {
            doc = SafeXml.parse(body.getBytes(StandardCharsets.UTF_8), "the SEFAZ answer");
        } catch (HostileXmlException e) {
            throw e;
        } catch (RuntimeException notXml) {
            return null;
        }
        Element ret = first(doc.getDocumentElement(), root);
        if (ret == null) {
            return null;
        }
        String code = text(ret, "cStat");
        if (code == null) {
            return null;
        }
        Element prot = first(ret, "protNFe");
        Protocol protocol = null;
        if (prot != null) {
            Element inf = first(prot, "infProt");
            if (inf != null) {
                protocol = new Protocol(text(inf, "cStat"), text(inf, "xMotivo"), text(inf, "chNFe"),
                        text(inf, "nProt"), text(inf, "dhRecbto"), DpsPreview.serialize(prot));
            }
        }
        return new Answer(code, text(ret, "xMotivo"), protocol);
    }

    private static Element first(Element from, String localName) {
        if (localName.equals(from.getLocalName())) {
            return from;
        }
        NodeList all = from.getElementsByTagNameNS(SefazApi.NFE_NS, localName);
        return all.getLength() == 0 ? null : (Element) all.item(0);
    }

    /** The text of the first child element named {@code localName} directly under {@code parent}. */
    private static String text(Element parent, String localName) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                String t = e.getTextContent();
                return t == null ? null : t.strip();
            }
        }
        return null;
    }
}
