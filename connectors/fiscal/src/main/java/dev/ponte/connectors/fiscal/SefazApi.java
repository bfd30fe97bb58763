package dev.ponte.connectors.fiscal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The client of a state's NF-e 4.00 web services (SEFAZ), SOAP 1.2 over mTLS with the clinic's A1 certificate:
 * {@code NFeAutorizacao4} (a batch of one NF-e, synchronous, {@code indSinc} 1) and {@code NFeConsultaProtocolo4}
 * (the status of an access key). Builds the envelopes, sends the signed NF-e byte for byte, returns the answer's
 * status and body; reading the answer is {@link SefazReplies}'. The addresses of São Paulo and of the SVRS (the
 * shared authorizer of AC, AL, AP, DF, ES, PA, PB, PI, RJ, RN, RO, RR, SC, SE, TO) are known; other states give them
 * in the configuration. Thread safe.
 */
public final class SefazApi {

    /** Namespace of the NF-e documents. */
    public static final String NFE_NS = "http://www.portalfiscal.inf.br/nfe";
    static final String AUTHORIZATION_WSDL = "http://www.portalfiscal.inf.br/nfe/wsdl/NFeAutorizacao4";
    static final String QUERY_WSDL = "http://www.portalfiscal.inf.br/nfe/wsdl/NFeConsultaProtocolo4";

    /** The two addresses of one authorizer and environment. */
    public record Endpoints(URI authorization, URI query) {
        public Endpoints {
            Objects.requireNonNull(authorization, "authorization");
            Objects.requireNonNull(query, "query");
        }
    }

    private static final Map<String, String[]> KNOWN = known();

    private final HttpClient http;
    private final Endpoints endpoints;
    private final Duration timeout;

    public SefazApi(A1Certificate certificate, Endpoints endpoints, Duration timeout) {
        this(certificate, endpoints, timeout, null);
    }

    /** As the public constructor, judging the server by {@code trust} (a test's self-signed stand-in). */
    SefazApi(A1Certificate certificate, Endpoints endpoints, Duration timeout, KeyStore trust) {
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().sslContext(NfseApi.sslContext(certificate, trust)).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * The known addresses of a state's authorizer, or null when the configuration must give them.
     *
     * @param uf the state, e.g. {@code SP}
     */
    public static Endpoints known(String uf, Dps.Environment environment) {
        String[] urls = KNOWN.get(authorizer(uf) + (environment == Dps.Environment.PRODUCTION ? ":1" : ":2"));
        return urls == null ? null : new Endpoints(URI.create(urls[0]), URI.create(urls[1]));
    }

    private static String authorizer(String uf) {
        String u = uf == null ? "" : uf.toUpperCase(Locale.ROOT);
        return switch (u) {
            case "SP" -> "SP";
            case "AC", "AL", "AP", "DF", "ES", "PA", "PB", "PI", "RJ", "RN", "RO", "RR", "SC", "SE", "TO" -> "SVRS";
            default -> u;
        };
    }

    private static Map<String, String[]> known() {
        return Map.of(
                "SP:1", new String[] {"https://nfe.fazenda.sp.gov.br/ws/nfeautorizacao4.asmx",
                        "https://nfe.fazenda.sp.gov.br/ws/nfeconsultaprotocolo4.asmx"},
                "SP:2", new String[] {"https://homologacao.nfe.fazenda.sp.gov.br/ws/nfeautorizacao4.asmx",
                        "https://homologacao.nfe.fazenda.sp.gov.br/ws/nfeconsultaprotocolo4.asmx"},
                "SVRS:1", new String[] {"https://nfe.svrs.rs.gov.br/ws/NfeAutorizacao/NFeAutorizacao4.asmx",
                        "https://nfe.svrs.rs.gov.br/ws/NfeConsulta/NfeConsulta4.asmx"},
                "SVRS:2", new String[] {"https://nfe-homologacao.svrs.rs.gov.br/ws/NfeAutorizacao/NFeAutorizacao4.asmx",
                        "https://nfe-homologacao.svrs.rs.gov.br/ws/NfeConsulta/NfeConsulta4.asmx"});
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Host the authorization goes to, for messages. */
    public String host() {
        return endpoints.authorization().getHost();
    }

    /**
     * {@code NFeAutorizacao4}: one signed NF-e in a synchronous batch.
     *
     * @param batchId      {@code idLote}, 1 to 15 digits
     * @param signedNfeXml the signed {@code NFe} element (an XML declaration in front is removed)
     * @throws IOException before any status: refused, reset, timed out
     */
    public Reply authorize(String batchId, String signedNfeXml) throws IOException, InterruptedException {
        return send(endpoints.authorization(), AUTHORIZATION_WSDL + "/nfeAutorizacaoLote",
                authorizationEnvelope(batchId, signedNfeXml));
    }

    /** {@code NFeConsultaProtocolo4}: the status of an access key. */
    public Reply query(String accessKey, Dps.Environment environment) throws IOException, InterruptedException {
        return send(endpoints.query(), QUERY_WSDL + "/nfeConsultaNF", queryEnvelope(accessKey, environment));
    }

    /** Whether the authorizer answers at all: {@code GET} of its address ({@code ?wsdl}); any HTTP status counts. */
    public int probe() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoints.authorization() + "?wsdl")).timeout(timeout)
                .GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The SOAP 1.2 envelope of an authorization, as {@link #authorize} sends it (and sandbox mode records it). */
    public static String authorizationEnvelope(String batchId, String signedNfeXml) {
        if (batchId == null || !batchId.matches("\\d{1,15}")) {
            throw new IllegalArgumentException("idLote: 1 to 15 digits");
        }
        return envelope(AUTHORIZATION_WSDL, "<enviNFe xmlns=\"" + NFE_NS + "\" versao=\"4.00\"><idLote>" + batchId
                + "</idLote><indSinc>1</indSinc>" + withoutDeclaration(signedNfeXml) + "</enviNFe>");
    }

    static String queryEnvelope(String accessKey, Dps.Environment environment) {
        if (accessKey == null || !accessKey.matches("\\d{44}")) {
            throw new IllegalArgumentException("chNFe: 44 digits");
        }
        return envelope(QUERY_WSDL, "<consSitNFe xmlns=\"" + NFE_NS + "\" versao=\"4.00\"><tpAmb>"
                + environment.code() + "</tpAmb><xServ>CONSULTAR</xServ><chNFe>" + accessKey + "</chNFe></consSitNFe>");
    }

    private static String envelope(String wsdl, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap12:Envelope xmlns:soap12=\"http://www.w3.org/2003/05/"
                + "soap-envelope\"><soap12:Body><nfeDadosMsg xmlns=\"" + wsdl + "\">" + message
                + "</nfeDadosMsg></soap12:Body></soap12:Envelope>";
    }

    static String withoutDeclaration(String xml) {
        String x = xml.strip();
        return x.startsWith("<?xml") ? x.substring(x.indexOf("?>") + 2) : x;
    }

    private Reply send(URI uri, String action, String envelope) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/soap+xml; charset=utf-8; action=\"" + action + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(envelope, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return new Reply(response.statusCode(), response.body());
    }

    /**
     * One answer, as received.
     *
     * @param status the HTTP status
     * @param body   the SOAP envelope (holds the patient's data when it carries the NF-e: never log it)
     */
    public record Reply(int status, String body) {
        @Override
        public String toString() {
            return "Reply[HTTP " + status + ", " + (body == null ? 0 : body.length()) + " characters]";
        }
    }
}
