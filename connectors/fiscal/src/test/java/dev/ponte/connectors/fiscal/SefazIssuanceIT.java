package dev.ponte.connectors.fiscal;

import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link SefazIssuance} against a WireMock SEFAZ: authorized, rejected with its code, a lost answer asked for before
 * any resend (authorized → never sent twice; unknown → sent once more), a duplicate taken from the query, the SOAP
 * 1.2 envelopes as the states expect them, and a hostile answer refused.
 */
class SefazIssuanceIT {

    static final AccessKey KEY = AccessKey.parse("35260106916714000120550010000012451440396743");
    static final String NFE = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><NFe xmlns=\"http://www.portalfiscal.inf.br/"
            + "nfe\"><infNFe Id=\"NFe" + KEY.value() + "\" versao=\"4.00\"/></NFe>";

    @TempDir
    static Path dir;
    static A1Certificate cert;
    static SefazStandIn sefaz;
    SefazIssuance issuance;

    @BeforeAll
    static void start() throws Exception {
        Path store = dir.resolve("clinica.p12");
        Keytool.await(Keytool.start(store, "clinica", Keytool.DNAME, 365));
        cert = A1Certificate.load("nfe", store, Keytool.PASSWORD.toCharArray(), null);
        sefaz = new SefazStandIn();
    }

    @AfterAll
    static void stop() {
        sefaz.close();
    }

    @BeforeEach
    void reset() {
        sefaz.server.resetAll();
        issuance = new SefazIssuance(new SefazApi(cert, sefaz.endpoints(), Duration.ofMillis(500)),
                Dps.Environment.HOMOLOGATION);
    }

    @Test
    void anAuthorizedNfeGivesItsProtocolAndTheEnvelopeIsSoap12WithTheNfeAsSigned() throws Exception {
        sefaz.authorizes(KEY.value());
        SefazIssuance.Outcome o = issuance.issue(KEY, NFE);
        assertThat(o).isInstanceOfSatisfying(SefazIssuance.Outcome.Authorized.class, a -> {
            assertThat(a.protocol().protocol()).isEqualTo(SefazStandIn.PROTOCOL);
            assertThat(a.protocol().receivedAt()).isEqualTo("2026-12-02T10:20:30-03:00");
            assertThat(a.protocol().xml()).contains("<nProt>" + SefazStandIn.PROTOCOL + "</nProt>");
            assertThat(a.recovered()).isFalse();
        });
        sefaz.server.verify(postRequestedFor(urlPathEqualTo(SefazStandIn.AUTHORIZATION))
                .withHeader("Content-Type", containing("application/soap+xml"))
                .withHeader("Content-Type", containing("NFeAutorizacao4/nfeAutorizacaoLote"))
                .withRequestBody(containing("<nfeDadosMsg xmlns=\"http://www.portalfiscal.inf.br/nfe/wsdl/"
                        + "NFeAutorizacao4\"><enviNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" versao=\"4.00\">"
                        + "<idLote>1000001245</idLote><indSinc>1</indSinc><NFe "))
                .withRequestBody(containing("soap12:Envelope")));
    }

    @Test
    void aRejectionGivesTheCodeAndText() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.rejected(
                KEY.value(), "539", "Rejeição: Duplicidade de NF-e com diferença na Chave de Acesso") ));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryUnknown(
                KEY.value())));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).as("a duplicate the query does not confirm is retried")
                .isInstanceOf(RetriableDeliveryException.class);
        sefaz.server.resetAll();
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.rejected(
                KEY.value(), "778", "Rejeição: Informado NCM inexistente")));
        assertThat(issuance.issue(KEY, NFE)).isEqualTo(new SefazIssuance.Outcome.Rejected("778",
                "Rejeição: Informado NCM inexistente"));
    }

    @Test
    void aLostAnswerIsAskedForAndAnAuthorizedNfeIsNeverSentTwice() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.authorized(
                KEY.value()).withFixedDelay(1500)));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryAuthorized(
                KEY.value())));
        SefazIssuance.Outcome o = issuance.issue(KEY, NFE);
        assertThat(o).isInstanceOfSatisfying(SefazIssuance.Outcome.Authorized.class, a ->
                assertThat(a.recovered()).isTrue());
        assertThat(sefaz.authorizations()).isEqualTo(1);
        sefaz.server.verify(postRequestedFor(urlPathEqualTo(SefazStandIn.QUERY)).withRequestBody(containing(
                "<consSitNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" versao=\"4.00\"><tpAmb>2</tpAmb><xServ>"
                        + "CONSULTAR</xServ><chNFe>" + KEY.value() + "</chNFe></consSitNFe>")));
    }

    @Test
    void aLostAnswerSefazDoesNotKnowIsSentOnceMore() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(aResponse()
                .withFixedDelay(1500).withStatus(200)));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryUnknown(
                KEY.value())));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("sent once more on the next attempt");
        sefaz.server.resetAll();
        sefaz.authorizes(KEY.value());
        assertThat(issuance.issue(KEY, NFE)).isInstanceOf(SefazIssuance.Outcome.Authorized.class);
        assertThat(sefaz.authorizations()).isEqualTo(1);
    }

    @Test
    void aDuplicateIsTakenFromTheQueryAndAServiceOutageIsRetried() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.rejected(
                KEY.value(), "204", "Rejeição: Duplicidade de NF-e")));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryAuthorized(
                KEY.value())));
        assertThat(issuance.issue(KEY, NFE)).isInstanceOfSatisfying(SefazIssuance.Outcome.Authorized.class, a ->
                assertThat(a.protocol().protocol()).isEqualTo(SefazStandIn.PROTOCOL));
        sefaz.server.resetAll();
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.soap(
                SefazStandIn.envelope("NFeAutorizacao4", "<retEnviNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                        + "versao=\"4.00\"><cStat>108</cStat><xMotivo>Serviço Paralisado Momentaneamente</xMotivo>"
                        + "</retEnviNFe>"))));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("108");
    }

    @Test
    void aHostileOrGarbledAnswerIsRefusedUnreadAndTreatedAsNoAnswerNeverAsARejection() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.soap(
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><x>&xxe;</x>")));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryAuthorized(
                KEY.value())));
        assertThat(issuance.issue(KEY, NFE)).as("the key is asked for: authorized, sent once")
                .isInstanceOfSatisfying(SefazIssuance.Outcome.Authorized.class, a ->
                        assertThat(a.recovered()).isTrue());
        sefaz.server.resetAll();
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.soap(
                "<html><body>Manuten")));
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.queryUnknown(
                KEY.value())));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("sent once more");
    }

    @Test
    void aBatchStillInProcessingIsAskedForLaterAndACancelledKeyIsNotTakenAsAuthorized() throws Exception {
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.AUTHORIZATION)).willReturn(SefazStandIn.soap(
                SefazStandIn.envelope("NFeAutorizacao4", "<retEnviNFe xmlns=\"http://www.portalfiscal.inf.br/nfe\" "
                        + "versao=\"4.00\"><cStat>105</cStat><xMotivo>Lote em processamento</xMotivo></retEnviNFe>"))));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).isInstanceOf(RetriableDeliveryException.class)
                .hasMessageContaining("105");
        sefaz.server.resetAll();
        sefaz.server.stubFor(post(urlPathEqualTo(SefazStandIn.QUERY)).willReturn(SefazStandIn.soap(
                SefazStandIn.envelope("NFeConsultaProtocolo4", "<retConsSitNFe xmlns=\"http://www.portalfiscal.inf.br/"
                        + "nfe\" versao=\"4.00\"><cStat>101</cStat><xMotivo>Cancelamento de NF-e homologado</xMotivo>"
                        + SefazStandIn.protNFe(KEY.value(), "100", "Autorizado o uso da NF-e") + "</retConsSitNFe>"))));
        assertThatThrownBy(() -> issuance.issue(KEY, NFE)).as("asked first; a cancelled key is not authorized")
                .isInstanceOf(PermanentDeliveryException.class).hasMessageContaining("101");
        assertThat(sefaz.authorizations()).as("nothing sent after the 105").isZero();
    }
}
