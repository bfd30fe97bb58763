package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.ponte.json.Json;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.xml.SafeXml;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Issuance} and {@link NfseApi} against a WireMock stand-in of the Sefin Nacional (plain HTTP: the mTLS part
 * is {@link NfseApiTest}'s). Answers follow the Swagger's {@code NFSePostResponseSucesso}, {@code NFSePostResponseErro},
 * {@code DpsGetResponse}, {@code NFSeGetResponseSucesso}. A lost answer is a 1.5 s delay against a 500 ms client timeout.
 */
class IssuanceIT {

    static final String KEY = "35503082212345678000195000000000004226031234567890";
    static final String POST_NFSE = "/SefinNacional/nfse";
    /** The client's timeout, and the delay of an answer that never arrives in time. */
    static final Duration TIMEOUT = Duration.ofMillis(500);
    static final int LOST = 1500;

    @TempDir
    static Path dir;
    static WireMockServer sefin;
    static A1Certificate cert;
    static DpsId id;
    static String signedXml;
    Issuance issuance;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.load("nfse", store, Keytool.PASSWORD.toCharArray(), null);
        Dps dps = DpsXmlTest.typical();
        Document doc = SafeXml.parse(DpsXml.write(dps).getBytes(StandardCharsets.UTF_8), "the DPS");
        XmlSignature.sign(doc, dps.id().value(), XmlSignature.Algorithms.NFSE_NACIONAL, cert);
        signedXml = XmlSignatureTest.serialize(doc);
        id = dps.id();
        sefin = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        sefin.start();
        // warm both sides up: a cold first call can take longer than the short timeout below
        sefin.stubFor(get(urlPathEqualTo("/warm-up")).willReturn(aResponse().withStatus(204)));
        java.net.http.HttpClient warm = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            warm.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sefin.port()
                    + "/warm-up")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        }
    }

    @AfterAll
    static void stop() {
        if (sefin != null) {
            sefin.stop();
        }
    }

    /** A new client per test: a connection that a delayed answer of the previous test left would be reused. */
    @BeforeEach
    void reset() {
        sefin.resetAll();
        NfseApi api = new NfseApi(cert, URI.create("http://127.0.0.1:" + sefin.port() + "/SefinNacional/"),
                TIMEOUT);
        issuance = new Issuance(api);
    }

    static String dpsPath() {
        return "/SefinNacional/dps/" + id.value();
    }

    static String nfseXml() {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><NFSe xmlns=\"http://www.sped.fazenda.gov.br/nfse\" "
                + "versao=\"1.00\"><infNFSe Id=\"NFS" + KEY + "\"><xLocEmi>São Paulo</xLocEmi><nNFSe>42</nNFSe>"
                + "<dhProc>2026-03-10T10:15:30-03:00</dhProc></infNFSe></NFSe>";
    }

    static ResponseDefinitionBuilder created() {
        return json(201, "{\"tipoAmbiente\":2,\"versaoAplicativo\":\"SefinNacional_1.4.0\","
                + "\"dataHoraProcessamento\":\"2026-03-10T10:15:31.1544276-03:00\",\"idDps\":\"" + id.value()
                + "\",\"chaveAcesso\":\"" + KEY + "\",\"nfseXmlGZipB64\":\"" + NfseApi.gzipBase64(nfseXml())
                + "\",\"alertas\":[]}");
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** The Sefin knows the DPS: {@code GET /dps/{id}} and {@code GET /nfse/{key}} answer. */
    static void sefinHasIt() {
        sefin.stubFor(get(urlPathEqualTo(dpsPath())).willReturn(json(200, "{\"tipoAmbiente\":2,"
                + "\"versaoAplicativo\":\"v\",\"dataHoraProcessamento\":\"2026-03-10T11:00:00-03:00\",\"idDps\":\""
                + id.value() + "\",\"chaveAcesso\":\"" + KEY + "\"}")));
        sefin.stubFor(get(urlPathEqualTo("/SefinNacional/nfse/" + KEY)).willReturn(json(200, "{\"tipoAmbiente\":2,"
                + "\"versaoAplicativo\":\"v\",\"dataHoraProcessamento\":\"2026-03-10T11:00:00-03:00\","
                + "\"chaveAcesso\":\"" + KEY + "\",\"nfseXmlGZipB64\":\"" + NfseApi.gzipBase64(nfseXml()) + "\"}")));
    }

    static void sefinLacksIt() {
        sefin.stubFor(get(urlPathEqualTo(dpsPath())).willReturn(json(404, "{\"tipoAmbiente\":2,\"versaoAplicativo\":"
                + "\"v\",\"dataHoraProcessamento\":\"2026-03-10T11:00:00-03:00\",\"erro\":{\"codigo\":\"E404\","
                + "\"descricao\":\"Não foi gerada uma NFS-e com o identificador de DPS informado\"}}")));
    }

    @Test
    void anAuthorizedDpsGivesItsNfseAndTheBodyIsTheGzippedSignedXmlByteForByte() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(created()));

        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(outcome).isInstanceOf(IssueOutcome.Authorized.class);
        IssueOutcome.Authorized a = (IssueOutcome.Authorized) outcome;
        assertThat(a.accessKey()).isEqualTo(KEY);
        assertThat(a.dpsId()).isEqualTo(id.value());
        assertThat(a.nfseNumber()).contains("42");
        assertThat(a.verificationCode()).isEmpty();
        assertThat(a.processedAt()).isEqualTo(OffsetDateTime.parse("2026-03-10T10:15:31.1544276-03:00"));
        assertThat(a.nfseXml()).isEqualTo(nfseXml());
        assertThat(a.route()).isEqualTo(IssueOutcome.Route.SUBMITTED);
        assertThat(a.toString()).doesNotContain("<NFSe").contains(KEY);

        List<LoggedRequest> posts = sefin.findAll(postRequestedFor(urlPathEqualTo(POST_NFSE)));
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = Json.MAPPER.readTree(posts.get(0).getBodyAsString());
        assertThat(body.size()).as("only dpsXmlGZipB64").isEqualTo(1);
        byte[] gzip = Base64.getDecoder().decode(body.get("dpsXmlGZipB64").asText());
        byte[] sent;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
            sent = in.readAllBytes();
        }
        assertThat(sent).isEqualTo(signedXml.getBytes(StandardCharsets.UTF_8));
        sefin.verify(exactly(0), getRequestedFor(urlPathEqualTo(dpsPath())));
    }

    @Test
    void aRejectionGivesTheFirstCodeAndDescriptionWithoutTheComplement() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(json(400, "{\"tipoAmbiente\":2,"
                + "\"versaoAplicativo\":\"v\",\"dataHoraProcessamento\":\"2026-03-10T10:15:31-03:00\",\"idDPS\":\""
                + id.value() + "\",\"erros\":[{\"Codigo\":\"E0310\",\"Descricao\":\"O código de tributação nacional "
                + "informado não existe\",\"Complemento\":\"tomador CPF 12345678909\"},{\"Codigo\":\"E0713\","
                + "\"Descricao\":\"outro\"}]}")));

        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(outcome).isEqualTo(new IssueOutcome.Rejected(id.value(), "E0310",
                "O código de tributação nacional informado não existe", 1));
        assertThat(((IssueOutcome.Rejected) outcome).describe()).contains("E0310", id.value(), "1 more error")
                .doesNotContain("12345678909");
        sefin.verify(exactly(0), getRequestedFor(urlPathEqualTo(dpsPath())));
    }

    @Test
    void unavailableIsRetriableAndNamesTheDpsAndTheApi() {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "120")));

        assertThatThrownBy(() -> issuance.issue(id, signedXml)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining(id.value()).hasMessageContaining("Sefin Nacional").hasMessageContaining("503")
                .satisfies(e -> assertThat(((RetriableDeliveryException) e).retryAfter())
                        .isEqualTo(Duration.ofSeconds(120)));
    }

    @Test
    void aTimeoutThenAnAuthorizedStatusQueryGivesTheNfseWithoutASecondPost() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(created().withFixedDelay(LOST)));
        sefinHasIt();

        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(outcome).isInstanceOf(IssueOutcome.Authorized.class);
        IssueOutcome.Authorized a = (IssueOutcome.Authorized) outcome;
        assertThat(a.accessKey()).isEqualTo(KEY);
        assertThat(a.nfseNumber()).contains("42");
        assertThat(a.processedAt()).as("dhProc of the document").isEqualTo(
                OffsetDateTime.parse("2026-03-10T10:15:30-03:00"));
        assertThat(a.route()).isEqualTo(IssueOutcome.Route.RECOVERED_AFTER_LOST_ANSWER);
        sefin.verify(exactly(1), postRequestedFor(urlPathEqualTo(POST_NFSE)));
        sefin.verify(exactly(1), getRequestedFor(urlPathEqualTo(dpsPath())));
    }

    @Test
    void aTimeoutThenNotFoundResendsOnceOnTheNextCall() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).inScenario("resend").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(created().withFixedDelay(LOST)).willSetStateTo("sent once"));
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).inScenario("resend").whenScenarioStateIs("sent once")
                .willReturn(created()));
        sefinLacksIt();

        assertThatThrownBy(() -> issuance.issue(id, signedXml)).isInstanceOf(RetriableDeliveryException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class).hasMessageContaining(id.value())
                .hasMessageContaining("404").hasMessageContaining("sent once more on the next attempt");
        sefin.verify(exactly(1), postRequestedFor(urlPathEqualTo(POST_NFSE)));

        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(outcome).isInstanceOf(IssueOutcome.Authorized.class);
        assertThat(((IssueOutcome.Authorized) outcome).route()).isEqualTo(IssueOutcome.Route.SUBMITTED);
        sefin.verify(exactly(2), postRequestedFor(urlPathEqualTo(POST_NFSE)));
        sefin.verify(exactly(1), getRequestedFor(urlPathEqualTo(dpsPath())));
    }

    @Test
    void whenTheStatusQueryAlsoFailsTheNextCallAsksAgainBeforeResending() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(created().withFixedDelay(LOST)));
        sefin.stubFor(get(urlPathEqualTo(dpsPath())).willReturn(aResponse().withStatus(502)));

        assertThatThrownBy(() -> issuance.issue(id, signedXml)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("asks again before sending");

        sefin.resetMappings();
        sefinHasIt();
        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(((IssueOutcome.Authorized) outcome).route()).isEqualTo(IssueOutcome.Route.FOUND_BEFORE_RESEND);
        sefin.verify(exactly(1), postRequestedFor(urlPathEqualTo(POST_NFSE)));
    }

    @Test
    void alreadyReceivedIsAnsweredWithTheExistingNfse() throws Exception {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(json(400, "{\"tipoAmbiente\":2,"
                + "\"versaoAplicativo\":\"v\",\"dataHoraProcessamento\":\"2026-03-10T10:15:31-03:00\","
                + "\"erros\":[{\"codigo\":\"E0014\",\"descricao\":\"Conjunto de Série, Número, Código do Município "
                + "Emissor e CNPJ/CPF informado nesta DPS já existe em uma NFS-e gerada a partir de uma DPS enviada "
                + "anteriormente.\"}]}")));
        sefinHasIt();

        IssueOutcome outcome = issuance.issue(id, signedXml);

        assertThat(outcome).isInstanceOf(IssueOutcome.Authorized.class);
        IssueOutcome.Authorized a = (IssueOutcome.Authorized) outcome;
        assertThat(a.accessKey()).isEqualTo(KEY);
        assertThat(a.route()).isEqualTo(IssueOutcome.Route.ALREADY_RECEIVED);
        sefin.verify(exactly(1), postRequestedFor(urlPathEqualTo(POST_NFSE)));
        sefin.verify(exactly(1), getRequestedFor(urlPathEqualTo("/SefinNacional/nfse/" + KEY))
                .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void anNfseAnswerWithADoctypeIsRefusedWithAClearError() {
        String hostile = "<?xml version=\"1.0\"?><!DOCTYPE NFSe [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<NFSe xmlns=\"http://www.sped.fazenda.gov.br/nfse\"><infNFSe Id=\"NFS" + KEY + "\">"
                + "<nNFSe>&xxe;</nNFSe></infNFSe></NFSe>";
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(json(201, "{\"tipoAmbiente\":2,"
                + "\"versaoAplicativo\":\"v\",\"dataHoraProcessamento\":\"2026-03-10T10:15:31-03:00\",\"idDps\":\""
                + id.value() + "\",\"chaveAcesso\":\"" + KEY + "\",\"nfseXmlGZipB64\":\""
                + NfseApi.gzipBase64(hostile) + "\"}")));

        assertThatThrownBy(() -> issuance.issue(id, signedXml)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("DOCTYPE").hasMessageContaining(id.value()).hasMessageContaining(KEY)
                .hasMessageContaining("national portal").satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("root:"));
    }

    @Test
    void aRejectedCertificateIsPermanent() {
        sefin.stubFor(post(urlPathEqualTo(POST_NFSE)).willReturn(json(403, "{\"erros\":[{\"codigo\":\"E9999\","
                + "\"descricao\":\"Certificado inválido\"}]}")));

        assertThatThrownBy(() -> issuance.issue(id, signedXml)).isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("certificate").hasMessageContaining(id.value());
    }
}
