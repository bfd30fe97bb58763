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
 * A WireMock stand-in for Zenvia's API v2, on a free port: the SMS channel's messages and the subscriptions list
 * (the health probe). Bodies follow Zenvia's documented JSON: the message with its {@code id}, the error object
 * {@code {"code","message","details":[{"code","path","message"}]}}.
 */
final class ZenviaStandIn implements AutoCloseable {

    static final String API_TOKEN = "kit-z3nv1a-api-token-0123456789";
    static final String WEBHOOK_TOKEN = "kit-webhook-t0ken-0123456789";
    static final String FROM = "ClinicaBela";
    static final String MESSAGES = "/v2/channels/sms/messages";
    static final String SUBSCRIPTIONS = "/v2/subscriptions";
    static final String PATH = "/webhooks/sms/kit";
    static final String ID = "5a2e3d4c-1b0a-4f9e-8d7c-6b5a4f3e2d1c";

    final WireMockServer server;

    ZenviaStandIn() {
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        subscriptionsAnswer();
    }

    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("provider", "zenvia");
        c.put("api-token", API_TOKEN);
        c.put("webhook-token", WEBHOOK_TOKEN);
        c.put("from", FROM);
        c.put("base-url", "http://127.0.0.1:" + server.port());
        c.put("timeout", "2s");
        c.put("messages-per-second", "1000");
        return c;
    }

    void subscriptionsAnswer() {
        server.stubFor(get(urlPathEqualTo(SUBSCRIPTIONS)).willReturn(json(200, "[]")));
    }

    void accepts() {
        answers(json(200, "{\"id\":\"" + ID + "\",\"from\":\"" + FROM + "\",\"to\":\"5511991214283\","
                + "\"direction\":\"OUT\",\"channel\":\"sms\",\"contents\":[{\"type\":\"text\",\"text\":\"…\"}]}"));
    }

    void answers(ResponseDefinitionBuilder answer) {
        server.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(answer));
    }

    static ResponseDefinitionBuilder error(int status, String code, String message, String detailCode, String path) {
        return json(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"" + (detailCode == null ? ""
                : ",\"details\":[{\"code\":\"" + detailCode + "\",\"path\":\"" + path + "\",\"message\":\""
                + message + "\"}]") + "}");
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
