package dev.ponte.connectors.fiscal;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.crypto.AlgorithmMethod;
import javax.xml.crypto.KeySelector;
import javax.xml.crypto.KeySelectorException;
import javax.xml.crypto.KeySelectorResult;
import javax.xml.crypto.MarshalException;
import javax.xml.crypto.XMLCryptoContext;
import javax.xml.crypto.XMLStructure;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureException;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfo;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.keyinfo.X509Data;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Enveloped XMLDSig signatures of fiscal documents, the way the NF-e and the national NFS-e want them: one
 * {@code Signature} (default namespace {@code http://www.w3.org/2000/09/xmldsig#}, no prefix) placed right after the signed element
 * ({@code infNFe} inside {@code NFe}, {@code infDPS} inside {@code DPS}), one {@code Reference} to {@code #Id}, the
 * transforms enveloped-signature and inclusive C14N, inclusive C14N for {@code SignedInfo}, and a {@code KeyInfo} that
 * holds the signing certificate alone ({@code X509Data/X509Certificate}). Thread safe.
 *
 * <p>{@link #verify} checks every {@code Signature} of a document against the certificate in its own {@code KeyInfo}:
 * it proves the document was not changed since that certificate's key signed it, not who the holder is (checking
 * the ICP-Brasil chain and the CNPJ is up to the caller). Because the fiscal documents use SHA-1, which the JDK's
 * secure validation mode refuses since JDK 17, validation runs with that mode off and this class enforces the rest
 * of that mode's policy itself, before any digest is computed: only same-document references, only the allowlisted
 * transforms and algorithms, at most {@value #MAX_REFERENCES} references, RSA keys of at least
 * {@value #MIN_RSA_BITS} bits, no duplicate {@code Id}s (signature wrapping), a {@code KeyInfo} with an X.509
 * certificate and nothing to retrieve.
 */
public final class XmlSignature {

    /** The XMLDSig namespace. */
    public static final String XMLNS = javax.xml.crypto.dsig.XMLSignature.XMLNS;
    /** Inclusive canonical XML 1.0 without comments. */
    public static final String C14N = CanonicalizationMethod.INCLUSIVE;

    static final int MAX_REFERENCES = 30;
    static final int MIN_RSA_BITS = 1024;

    private static final Set<String> TRANSFORMS = Set.of(Transform.ENVELOPED, CanonicalizationMethod.INCLUSIVE,
            CanonicalizationMethod.INCLUSIVE_WITH_COMMENTS, CanonicalizationMethod.EXCLUSIVE);
    private static final Set<String> SIGNATURE_METHODS = Set.of(SignatureMethod.RSA_SHA1, SignatureMethod.RSA_SHA256);
    private static final Set<String> DIGEST_METHODS = Set.of(DigestMethod.SHA1, DigestMethod.SHA256);

    /**
     * The signature and digest algorithms of a signature.
     *
     * @param name            for messages
     * @param signatureMethod URI of {@code SignatureMethod}
     * @param digestMethod    URI of the {@code DigestMethod} of the reference
     */
    public record Algorithms(String name, String signatureMethod, String digestMethod) {

        /** NF-e / NFC-e 4.00 (Manual de Orientação do Contribuinte, 4.4.1; the xmldsig schema fixes both). */
        public static final Algorithms NFE = new Algorithms("RSA-SHA1/SHA-1", SignatureMethod.RSA_SHA1,
                DigestMethod.SHA1);

        /**
         * The DPS of the national NFS-e. The official leiaute 1.00 package ships a cut-down xmldsig schema
         * ({@code xmldsig-core-schema_v1.00.xsd}) whose {@code SignatureMethod} and {@code DigestMethod} are
         * {@code fixed} to rsa-sha1 and sha1, as in the NF-e; so this is RSA-SHA1/SHA-1. The 1.01 package imports the
         * unrestricted W3C schema; if the national API is found to want SHA-256, use {@link #RSA_SHA256}.
         */
        public static final Algorithms NFSE_NACIONAL = new Algorithms("RSA-SHA1/SHA-1", SignatureMethod.RSA_SHA1,
                DigestMethod.SHA1);

        /** RSA-SHA256 with SHA-256 digests. */
        public static final Algorithms RSA_SHA256 = new Algorithms("RSA-SHA256/SHA-256", SignatureMethod.RSA_SHA256,
                DigestMethod.SHA256);

        public Algorithms {
            Objects.requireNonNull(name, "name");
            if (!SIGNATURE_METHODS.contains(signatureMethod)) {
                throw new IllegalArgumentException("signature method " + signatureMethod + " is not one of "
                        + SIGNATURE_METHODS);
            }
            if (!DIGEST_METHODS.contains(digestMethod)) {
                throw new IllegalArgumentException("digest method " + digestMethod + " is not one of "
                        + DIGEST_METHODS);
            }
        }
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param valid      whether every signature is valid
     * @param signatures how many {@code Signature} elements were found
     * @param reason     why not, or what was checked
     */
    public record Verification(boolean valid, int signatures, String reason) {

        static Verification ok(int count) {
            return new Verification(true, count, count + " signature(s) valid");
        }

        static Verification invalid(int count, String reason) {
            return new Verification(false, count, reason);
        }
    }

    private static final XMLSignatureFactory FACTORY = XMLSignatureFactory.getInstance("DOM");

    private XmlSignature() {
    }

    /**
     * Signs the element whose {@code Id} attribute is {@code id} and inserts the {@code Signature} right after it.
     *
     * @return the {@code Signature} element
     * @throws IllegalArgumentException when no element, or more than one, has that {@code Id}, when it is already
     *                                  signed, or when the key does not suit the algorithms
     * @throws IllegalStateException    when signing fails
     */
    public static Element sign(Document doc, String id, Algorithms alg, A1Certificate cert) {
        Objects.requireNonNull(doc, "doc");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(alg, "alg");
        Objects.requireNonNull(cert, "cert");
        Map<String, List<Element>> ids = elementsById(doc);
        List<Element> found = ids.getOrDefault(id, List.of());
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no element of the document has Id=\"" + id + "\"");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " elements of the document have Id=\"" + id
                    + "\"; an Id must be unique");
        }
        if (!"RSA".equals(cert.privateKey().getAlgorithm())) {
            throw new IllegalArgumentException("the certificate '" + cert.subjectCn() + "' has a "
                    + cert.privateKey().getAlgorithm() + " key; " + alg.name() + " needs an RSA key");
        }
        Element signed = found.get(0);
        for (Node n = signed.getNextSibling(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                if (XMLNS.equals(e.getNamespaceURI()) && "Signature".equals(e.getLocalName())) {
                    throw new IllegalArgumentException("Id=\"" + id + "\" is already signed (a Signature follows "
                            + "it); remove that Signature to sign again");
                }
                break;
            }
        }
        signed.setIdAttributeNS(null, "Id", true);
        try {
            List<Transform> transforms = List.of(
                    FACTORY.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                    FACTORY.newTransform(C14N, (TransformParameterSpec) null));
            Reference reference = FACTORY.newReference("#" + id,
                    FACTORY.newDigestMethod(alg.digestMethod(), null), transforms, null, null);
            SignedInfo signedInfo = FACTORY.newSignedInfo(
                    FACTORY.newCanonicalizationMethod(C14N, (C14NMethodParameterSpec) null),
                    FACTORY.newSignatureMethod(alg.signatureMethod(), null), List.of(reference));
            KeyInfoFactory kif = FACTORY.getKeyInfoFactory();
            KeyInfo keyInfo = kif.newKeyInfo(List.of(kif.newX509Data(List.of(cert.certificate()))));
            Node parent = signed.getParentNode();
            Node next = signed.getNextSibling();
            DOMSignContext context = next == null ? new DOMSignContext(cert.privateKey(), parent)
                    : new DOMSignContext(cert.privateKey(), parent, next);
            FACTORY.newXMLSignature(signedInfo, keyInfo).sign(context);
            Element inserted = (Element) (next == null ? parent.getLastChild() : next.getPreviousSibling());
            unwrapBase64(inserted, "SignatureValue");
            unwrapBase64(inserted, "X509Certificate");
            return inserted;
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("this JDK cannot sign with " + alg.name() + ": " + e.getMessage(), e);
        } catch (MarshalException | XMLSignatureException e) {
            throw new IllegalStateException("signing Id=\"" + id + "\" with " + alg.name() + " failed: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * Verifies every {@code Signature} of a document: each reference's digest and the signature value, with the
     * public key of the certificate in the signature's {@code KeyInfo}. Does not change the document, except that
     * {@code Id} attributes are marked as IDs.
     */
    public static Verification verify(Document doc) {
        Objects.requireNonNull(doc, "doc");
        NodeList list = doc.getElementsByTagNameNS(XMLNS, "Signature");
        List<Element> signatures = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            signatures.add((Element) list.item(i));
        }
        int count = signatures.size();
        if (count == 0) {
            return Verification.invalid(0, "the document has no Signature element");
        }
        Map<String, List<Element>> ids = elementsById(doc);
        for (Map.Entry<String, List<Element>> e : ids.entrySet()) {
            if (e.getValue().size() > 1) {
                return Verification.invalid(count, e.getValue().size() + " elements have Id=\"" + e.getKey()
                        + "\"; duplicate Ids are refused (signature wrapping)");
            }
        }
        for (int i = 0; i < count; i++) {
            String which = "signature " + (i + 1) + " of " + count;
            try {
                DOMValidateContext context = new DOMValidateContext(new X509KeySelector(), signatures.get(i));
                context.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.FALSE);
                for (Map.Entry<String, List<Element>> e : ids.entrySet()) {
                    context.setIdAttributeNS(e.getValue().get(0), null, "Id");
                }
                javax.xml.crypto.dsig.XMLSignature signature = FACTORY.unmarshalXMLSignature(context);
                String refused = policy(signature, ids);
                if (refused != null) {
                    return Verification.invalid(count, which + ": " + refused);
                }
                if (!signature.validate(context)) {
                    boolean value = signature.getSignatureValue().validate(context);
                    List<String> bad = new ArrayList<>();
                    for (Object o : signature.getSignedInfo().getReferences()) {
                        Reference r = (Reference) o;
                        if (!r.validate(context)) {
                            bad.add(r.getURI());
                        }
                    }
                    String reason = !bad.isEmpty()
                            ? "the digest of " + String.join(", ", bad) + " does not match: the signed content was "
                            + "changed after signing"
                            : "";
                    if (!value) {
                        reason += (reason.isEmpty() ? "" : "; ") + "the SignatureValue does not match SignedInfo "
                                + "and the certificate's key";
                    }
                    return Verification.invalid(count, which + ": " + (reason.isEmpty() ? "invalid" : reason));
                }
            } catch (MarshalException e) {
                return Verification.invalid(count, which + ": not a well-formed XMLDSig Signature ("
                        + e.getMessage() + ")");
            } catch (XMLSignatureException e) {
                Throwable cause = e.getCause() instanceof KeySelectorException ? e.getCause() : e;
                return Verification.invalid(count, which + ": cannot be validated (" + cause.getMessage() + ")");
            } catch (RuntimeException e) {
                return Verification.invalid(count, which + ": cannot be validated (" + e.getClass().getSimpleName()
                        + ": " + e.getMessage() + ")");
            }
        }
        return Verification.ok(count);
    }

    /** The parts of the JDK's secure validation policy that still apply with SHA-1; null when acceptable. */
    private static String policy(javax.xml.crypto.dsig.XMLSignature signature, Map<String, List<Element>> ids) {
        SignedInfo si = signature.getSignedInfo();
        String c14n = si.getCanonicalizationMethod().getAlgorithm();
        if (!TRANSFORMS.contains(c14n) || Transform.ENVELOPED.equals(c14n)) {
            return "canonicalization method " + c14n + " is not accepted";
        }
        String sm = si.getSignatureMethod().getAlgorithm();
        if (!SIGNATURE_METHODS.contains(sm)) {
            return "signature method " + sm + " is not accepted (only " + SIGNATURE_METHODS + ")";
        }
        List<?> references = si.getReferences();
        if (references.size() > MAX_REFERENCES) {
            return references.size() + " references, over the limit of " + MAX_REFERENCES;
        }
        for (Object o : references) {
            Reference r = (Reference) o;
            String uri = r.getURI();
            if (uri == null || !uri.startsWith("#") || uri.length() < 2 || uri.startsWith("#xpointer(")) {
                return "reference URI " + uri + " is not a same-document #Id reference";
            }
            if (!ids.containsKey(uri.substring(1))) {
                return "reference URI " + uri + " names no element of the document (no Id=\"" + uri.substring(1)
                        + "\")";
            }
            String dm = r.getDigestMethod().getAlgorithm();
            if (!DIGEST_METHODS.contains(dm)) {
                return "digest method " + dm + " is not accepted (only " + DIGEST_METHODS + ")";
            }
            if (r.getTransforms().size() > 5) {
                return r.getTransforms().size() + " transforms, over the limit of 5";
            }
            for (Object t : r.getTransforms()) {
                String a = ((Transform) t).getAlgorithm();
                if (!TRANSFORMS.contains(a)) {
                    return "transform " + a + " is not accepted (only " + TRANSFORMS + ")";
                }
            }
        }
        KeyInfo keyInfo = signature.getKeyInfo();
        if (keyInfo == null) {
            return "no KeyInfo: the signing certificate must be in KeyInfo/X509Data/X509Certificate";
        }
        for (Object o : keyInfo.getContent()) {
            if (!(o instanceof X509Data) && !(o instanceof javax.xml.crypto.dsig.keyinfo.KeyName)) {
                return "KeyInfo holds " + ((XMLStructure) o).getClass().getSimpleName()
                        + "; only X509Data is accepted";
            }
        }
        return null;
    }

    /**
     * The JDK writes base64 in lines of 76 characters ended by {@code &#13;} and a newline; SEFAZ validators have
     * refused such {@code X509Certificate} values, and no fiscal sample has them. Both elements are outside
     * {@code SignedInfo}, so removing the whitespace changes neither digest nor signature.
     */
    private static void unwrapBase64(Element signature, String localName) {
        NodeList nodes = signature.getElementsByTagNameNS(XMLNS, localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            n.setTextContent(n.getTextContent().replaceAll("\\s+", ""));
        }
    }

    /** Every element with an {@code Id} attribute (no namespace), by value. */
    private static Map<String, List<Element>> elementsById(Document doc) {
        Map<String, List<Element>> ids = new HashMap<>();
        NodeList all = doc.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttributeNS(null, "Id")) {
                ids.computeIfAbsent(e.getAttributeNS(null, "Id"), k -> new ArrayList<>()).add(e);
            }
        }
        return ids;
    }

    /** The public key of the (first) certificate in KeyInfo/X509Data, if it suits the signature method. */
    private static final class X509KeySelector extends KeySelector {

        @Override
        public KeySelectorResult select(KeyInfo keyInfo, Purpose purpose, AlgorithmMethod method,
                                        XMLCryptoContext context) throws KeySelectorException {
            if (keyInfo == null) {
                throw new KeySelectorException("the Signature has no KeyInfo");
            }
            for (Object content : keyInfo.getContent()) {
                if (content instanceof X509Data data) {
                    for (Object item : data.getContent()) {
                        if (item instanceof X509Certificate certificate) {
                            PublicKey key = certificate.getPublicKey();
                            if (!"RSA".equals(key.getAlgorithm())) {
                                throw new KeySelectorException("the certificate in KeyInfo has a "
                                        + key.getAlgorithm() + " key; " + method.getAlgorithm() + " needs RSA");
                            }
                            if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                                throw new KeySelectorException("the certificate's RSA key has "
                                        + rsa.getModulus().bitLength() + " bits, under the minimum of "
                                        + MIN_RSA_BITS);
                            }
                            return () -> (Key) key;
                        }
                    }
                }
            }
            throw new KeySelectorException("KeyInfo holds no X509Data/X509Certificate");
        }
    }
}
