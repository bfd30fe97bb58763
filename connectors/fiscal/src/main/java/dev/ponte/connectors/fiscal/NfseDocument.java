package dev.ponte.connectors.fiscal;

import dev.ponte.xml.HostileXmlException;
import dev.ponte.xml.SafeXml;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The NFS-e XML the Sefin returns in {@code nfseXmlGZipB64}: base64, then gunzip (at most {@link SafeXml#MAX_BYTES},
 * so a gzip bomb is refused), then {@link SafeXml} alone (a DOCTYPE, hence any XXE or entity expansion, is refused).
 * The fields read follow {@code NFSe_v1.00.xsd} / {@code tiposComplexos_v1.00.xsd} (leiaute 1.00):
 * {@code NFSe/infNFSe/@Id} = {@code "NFS"} + the 50-character access key ({@code TSIdNFSe}),
 * {@code infNFSe/nNFSe} the NFS-e number, {@code infNFSe/dhProc} when the Sefin processed it.
 *
 * <p>Leiaute 1.00's {@code infNFSe} has no verification code: the access key is what the DANFSe and the national
 * portal use to check a note ({@code cVerifNFSeMun} exists only for <em>municipal</em> notes referenced by one). So
 * {@link #verificationCode()} is empty for a national NFS-e; it is kept so that a later leiaute, or a municipality's
 * own layout, can fill it.
 *
 * @param xml              the document as text (UTF-8); holds the taker's data: never log it
 * @param accessKey        from {@code infNFSe/@Id} without {@code NFS}, when present
 * @param number           {@code nNFSe}, when present
 * @param verificationCode always empty in leiaute 1.00 (see above)
 * @param processedAt      {@code dhProc}, when present and readable
 */
record NfseDocument(String xml, Optional<String> accessKey, Optional<String> number,
                    Optional<String> verificationCode, Optional<OffsetDateTime> processedAt) {


    /**
     * Decodes and parses an {@code nfseXmlGZipB64} value.
     *
     * @param what names the document in errors ("the NFS-e of DPS DPS355…"), never its content
     * @throws HostileXmlException when it is not base64 of gzip, too large, declares a DOCTYPE, or is not XML
     */
    static NfseDocument decode(String gzipBase64, String what) {
        if (gzipBase64 == null || gzipBase64.isBlank()) {
            throw new HostileXmlException(what + ": the answer holds no nfseXmlGZipB64");
        }
        byte[] compressed;
        try {
            compressed = Base64.getMimeDecoder().decode(gzipBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new HostileXmlException(what + ": nfseXmlGZipB64 is not base64", e);
        }
        byte[] bytes = gunzip(compressed, what);
        Document doc = SafeXml.parse(bytes, what);
        Element root = doc.getDocumentElement();
        if (!"NFSe".equals(root.getLocalName())) {
            throw new HostileXmlException(what + ": the root element is " + root.getLocalName()
                    + ", not NFSe");
        }
        Element inf = child(root, "infNFSe");
        String id = inf == null ? "" : inf.getAttribute("Id");
        Optional<String> key = id.startsWith("NFS") && id.length() > 3 ? Optional.of(id.substring(3))
                : Optional.empty();
        Optional<String> number = text(inf, "nNFSe");
        Optional<OffsetDateTime> processed = text(inf, "dhProc").map(NfseReplies::dateTime);
        return new NfseDocument(new String(bytes, StandardCharsets.UTF_8), key, number, Optional.empty(), processed);
    }

    private static byte[] gunzip(byte[] compressed, String what) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
                if (total > SafeXml.MAX_BYTES) {
                    throw new HostileXmlException(what + ": over " + SafeXml.MAX_BYTES + " bytes once "
                            + "uncompressed; refused unread");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new HostileXmlException(what + ": nfseXmlGZipB64 is not gzip data (" + e.getMessage() + ")", e);
        }
    }

    private static Element child(Element parent, String localName) {
        if (parent == null) {
            return null;
        }
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node n = children.item(i);
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                return e;
            }
        }
        return null;
    }

    private static Optional<String> text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null || e.getTextContent().isBlank() ? Optional.empty() : Optional.of(e.getTextContent().strip());
    }

    @Override
    public String toString() {
        return "NfseDocument[" + accessKey.orElse("no key") + ", " + xml.length() + " characters]";
    }
}
