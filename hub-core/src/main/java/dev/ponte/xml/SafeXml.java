package dev.ponte.xml;

import org.w3c.dom.Document;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * The one way the hub parses XML that comes from outside (NF-e/NFS-e responses, partner files): document type
 * declarations are refused outright, so no external entity is fetched (XXE) and no entity is expanded (billion
 * laughs); XInclude is off; the JDK's secure-processing limits apply. Documents also have a size limit. Every
 * refusal is a {@link HostileXmlException} that says what was refused and names the document, never its content.
 * Thread safe.
 */
public final class SafeXml {

    /** The largest document parsed: 10 MiB (an authorized NF-e with its protocol is a few tens of KB). */
    public static final int MAX_BYTES = 10 << 20;

    private static final DocumentBuilderFactory FACTORY = factory();

    private SafeXml() {
    }

    private static DocumentBuilderFactory factory() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            return f;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser cannot be made safe: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a document.
     *
     * @param what names the document in errors ("NFS-e response of RPS 123"), never its content
     * @throws HostileXmlException when the document declares a DTD or entities, is too large, or is not well formed
     */
    public static Document parse(byte[] xml, String what) {
        if (xml.length > MAX_BYTES) {
            throw new HostileXmlException(what + ": " + xml.length + " bytes, over the limit of " + MAX_BYTES
                    + " bytes for an XML document; refused unread");
        }
        try {
            DocumentBuilder builder = FACTORY.newDocumentBuilder();
            builder.setErrorHandler(null);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            return builder.parse(new ByteArrayInputStream(xml));
        } catch (SAXParseException e) {
            boolean doctype = String.valueOf(e.getMessage()).contains("DOCTYPE");
            throw new HostileXmlException(what + (doctype
                    ? ": refused, it declares a DOCTYPE (DTDs and entities are never processed: they are how XXE and "
                    + "entity-expansion attacks work); ask the sender for the document without a DOCTYPE"
                    : ": not well-formed XML at line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                    + e.getMessage()), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new HostileXmlException(what + ": unreadable XML: " + e.getMessage(), e);
        }
    }
}
