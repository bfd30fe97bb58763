package dev.ponte.connectors.fiscal;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import java.net.ServerSocket;
import java.net.URI;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stand-in of a state's SEFAZ NF-e 4.00 services (SOAP 1.2): {@code NFeAutorizacao4} and
 * {@code NFeConsultaProtocolo4}, answering {@code retEnviNFe} / {@code retConsSitNFe} envelopes as the states do.
 */
public final class SefazStandIn implements AutoCloseable {

    public static final String AUTHORIZATION = "/ws/nfeautorizacao4.asmx";
    public static final String QUERY = "/ws/nfeconsultaprotocolo4.asmx";
    public static final String PROTOCOL = "135260000012345";

    public final WireMockServer server;

    public SefazStandIn() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        server.start();
    }

    public SefazApi.Endpoints endpoints() {
        return new SefazApi.Endpoints(URI.create(server.baseUrl() + AUTHORIZATION), URI.create(server.baseUrl()
                + QUERY));
    }

    static String envelope(String wsdl, String message) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/"
                + "soap-envelope\"><soap:Body><nfeResultMsg xmlns=\"http://www.portalfiscal.inf.br/nfe/wsdl/" + wsdl
                + "\">" + message + "</nfeResultMsg></soap:Body></soap:Envelope>";
    }

    static String protNFe(String key, String code, String motivo) {
        return "<protNFe versao=\"4.00\"><infProt><tpAmb>2</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic><chNFe>" + key
                + "</chNFe><dhRecbto>2026-12-02T10:20:30-03:00</dhRecbto>" + ("100".equals(code) ? "<nProt>"
                + PROTOCOL + "</nProt><digVal>vFL68WETQ+7aGfZrV6pEsEmPkZ4=</digVal>" : "") + "<cStat>" + code
                + "</cStat><xMotivo>" + motivo + "</xMotivo></infProt></protNFe>";
    }

    static ResponseDefinitionBuilder soap(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/soap+xml; charset=utf-8")
                .withBody(body);
    }

    /** The batch processed, the NF-e {@code key} authorized (100). */
    public static ResponseDefinitionBuilder authorized(String key) {
        return soap(envelope("NFeAutorizacao4", "<retEnviNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                + "versao=\"4.00\"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic><cStat>104</cStat><xMotivo>"
                + "Lote processado</xMotivo><cUF>35</cUF><dhRecbto>2026-12-02T10:20:30-03:00</dhRecbto>"
                + protNFe(key, "100", "Autorizado o uso da NF-e") + "</retEnviNFe>"));
    }

    /** The batch processed, the NF-e refused with {@code code}. */
    public static ResponseDefinitionBuilder rejected(String key, String code, String motivo) {
        return soap(envelope("NFeAutorizacao4", "<retEnviNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                + "versao=\"4.00\"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic><cStat>104</cStat><xMotivo>"
                + "Lote processado</xMotivo><cUF>35</cUF>" + protNFe(key, code, motivo) + "</retEnviNFe>"));
    }

    /** The status query: {@code key} authorized (100). */
    public static ResponseDefinitionBuilder queryAuthorized(String key) {
        return soap(envelope("NFeConsultaProtocolo4", "<retConsSitNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                + "versao=\"4.00\"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic><cStat>100</cStat><xMotivo>"
                + "Autorizado o uso da NF-e</xMotivo><cUF>35</cUF><chNFe>" + key + "</chNFe>"
                + protNFe(key, "100", "Autorizado o uso da NF-e") + "</retConsSitNFe>"));
    }

    /** The status query: SEFAZ does not hold {@code key} (217). */
    public static ResponseDefinitionBuilder queryUnknown(String key) {
        return soap(envelope("NFeConsultaProtocolo4", "<retConsSitNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                + "versao=\"4.00\"><tpAmb>2</tpAmb><verAplic>SP_NFE_PL009_V4</verAplic><cStat>217</cStat><xMotivo>"
                + "Rejeição: NF-e não consta na base de dados da SEFAZ</xMotivo><cUF>35</cUF><chNFe>" + key
                + "</chNFe></retConsSitNFe>"));
    }

    /** Authorizes any NF-e: the answer carries the key of the NF-e in the request (response templating). */
    public void authorizesAny() {
        String key = "{{regexExtract request.body 'Id=\"NFe([0-9]{44})\"' 'k'}}{{k.0}}";
        server.stubFor(post(urlPathEqualTo(AUTHORIZATION)).willReturn(authorized(key)
                .withTransformers("response-template")));
    }

    public void authorizes(String key) {
        server.stubFor(post(urlPathEqualTo(AUTHORIZATION)).willReturn(authorized(key)));
    }

    public int authorizations() {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(
                AUTHORIZATION) && e.getRequest().getMethod().getName().equals("POST")).count();
    }

    public int issued() {
        return (int) server.getAllServeEvents().stream().filter(e -> e.getRequest().getUrl().startsWith(
                AUTHORIZATION) && e.getRequest().getMethod().getName().equals("POST")
                && e.getResponse().getBodyAsString().contains("<cStat>100</cStat>")).count();
    }

    @Override
    public void close() {
        server.stop();
    }
}
