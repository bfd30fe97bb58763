package dev.ponte.connectors.sms;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stand-in for Twilio's REST API of one account, on a free port: the Messages resource and the account
 * (the health probe). Bodies follow Twilio's documented JSON: a message resource with {@code sid} and
 * {@code num_segments} (a string), the error object {@code {"code","message","more_info","status"}}.
 */
final class TwilioStandIn implements AutoCloseable {

    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "kit-tw1l10-auth-token-0123456789";
    static final String FROM = "+15005550006";
    static final String MESSAGING_SERVICE_SID = "MG0123456789abcdef0123456789abcdef";
    static final String PUBLIC_URL = "https://ponte.clinica.example";
    static final String PATH = "/webhooks/sms/kit";
    static final String CALLBACK_URL = PUBLIC_URL + PATH;
    static final String MESSAGES = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
    static final String ACCOUNT = "/2010-04-01/Accounts/" + ACCOUNT_SID + ".json";
    static final String SID = "SM1f0e8ae6ade43cb3c0ce4525424e404f";

    final WireMockServer server;

    TwilioStandIn() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        accountIs("active");
    }

    /** Options of an instance talking to this stand-in. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("provider", "twilio");
        c.put("account-sid", ACCOUNT_SID);
        c.put("auth-token", AUTH_TOKEN);
        c.put("from", FROM);
        c.put("public-url", PUBLIC_URL);
        c.put("base-url", "http://127.0.0.1:" + server.port());
        c.put("timeout", "2s");
        c.put("messages-per-second", "1000");
        return c;
    }

    void accountIs(String status) {
        server.stubFor(get(urlPathEqualTo(ACCOUNT)).willReturn(json(200, "{\"sid\":\"" + ACCOUNT_SID
                + "\",\"friendly_name\":\"Clinica\",\"status\":\"" + status + "\",\"type\":\"Full\"}")));
    }

    /** Every message is accepted as {@link #SID}, billed as {@code segments}. */
    void accepts(int segments) {
        answers(accepted(segments));
    }

    void answers(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(answer));
    }

    static ResponseDefinitionBuilder accepted(int segments) {
        return json(201, "{\"account_sid\":\"" + ACCOUNT_SID + "\",\"api_version\":\"2010-04-01\",\"body\":\"…\","
                + "\"direction\":\"outbound-api\",\"error_code\":null,\"from\":\"" + FROM + "\",\"num_media\":\"0\","
                + "\"num_segments\":\"" + segments + "\",\"sid\":\"" + SID + "\",\"status\":\"queued\","
                + "\"to\":\"+5511991214283\"}");
    }

    /** Twilio's error object. */
    static ResponseDefinitionBuilder error(int status, int code, String message) {
        return json(status, "{\"code\":" + code + ",\"message\":\"" + message + "\",\"more_info\":"
                + "\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}");
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    List<ServeEvent> messagePosts() {
        return server.getAllServeEvents().stream().filter(e -> RequestMethod.POST.equals(e.getRequest().getMethod())
                && e.getRequest().getUrl().startsWith(MESSAGES)).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
