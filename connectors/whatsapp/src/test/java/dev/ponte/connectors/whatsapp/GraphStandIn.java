package dev.ponte.connectors.whatsapp;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.testkit.RemoteRequest;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stand-in for the Graph API of one phone number, on a fixed free port (so it can be stopped and started
 * again): the message endpoint and the health probe. Error bodies follow Meta's documented error object.
 */
final class GraphStandIn implements AutoCloseable {

    static final String PHONE_NUMBER_ID = "109876543210987";
    static final String VERSION = "v21.0";
    static final String MESSAGES = "/" + VERSION + "/" + PHONE_NUMBER_ID + "/messages";
    static final String NODE = "/" + VERSION + "/" + PHONE_NUMBER_ID;
    static final String ACCESS_TOKEN = "EAAkit-Acc3ss-T0ken-value-0123456789";
    static final String APP_SECRET = "kit-app-S3cret-0123456789abcdef";
    static final String VERIFY_TOKEN = "kit-verify-T0ken-value";
    static final String WAMID = "wamid.HBgNNTUxMTk5MTIxNDI4MxUCABEYEkE3QjRCMzFGRkQ3QjE2QjA2AA==";

    final WireMockServer server;
    final int port;

    GraphStandIn() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        server.start();
        probeAnswers();
    }

    /** Options of an instance talking to this stand-in. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("phone-number-id", PHONE_NUMBER_ID);
        c.put("access-token", ACCESS_TOKEN);
        c.put("app-secret", APP_SECRET);
        c.put("verify-token", VERIFY_TOKEN);
        c.put("base-url", "http://127.0.0.1:" + port);
        c.put("timeout", "2s");
        return c;
    }

    /** The health probe answers with the phone number's id. */
    void probeAnswers() {
        server.stubFor(get(urlPathEqualTo(NODE)).willReturn(json(200, "{\"id\":\"" + PHONE_NUMBER_ID + "\"}")));
    }

    /** Every message is accepted, with {@link #WAMID} as its id. */
    void accepts() {
        server.stubFor(post(urlPathEqualTo(MESSAGES)).willReturn(accepted()));
    }

    static ResponseDefinitionBuilder accepted() {
        return json(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"5511991214283\","
                + "\"wa_id\":\"5511991214283\"}],\"messages\":[{\"id\":\"" + WAMID + "\","
                + "\"message_status\":\"accepted\"}]}");
    }

    /** Meta's error object with this code. */
    static ResponseDefinitionBuilder error(int status, int code, String type, String message) {
        return json(status, "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + type + "\",\"code\":" + code
                + ",\"error_subcode\":2494055,\"fbtrace_id\":\"AbCdEf-kit_123\"}}");
    }

    static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Message posts Meta accepted (a reset connection is logged with status 200: not one). */
    int effects() {
        return (int) messagePosts().stream().filter(e -> e.getResponse().getStatus() / 100 == 2
                && e.getResponseDefinition().getFault() == null).count();
    }

    /** Message posts, oldest first. */
    List<ServeEvent> messagePosts() {
        List<ServeEvent> out = new ArrayList<>(server.getAllServeEvents().stream()
                .filter(e -> RequestMethod.POST.equals(e.getRequest().getMethod())
                        && e.getRequest().getUrl().startsWith(MESSAGES)).toList());
        out.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return out;
    }

    /** Message posts as the kit compares them, oldest first (the health probes are left out). */
    List<RemoteRequest> writeRequests() {
        return messagePosts().stream().map(e -> new RemoteRequest(e.getRequest().getMethod().getName(),
                e.getRequest().getUrl(), e.getRequest().getBodyAsString())).toList();
    }

    @Override
    public void close() {
        server.stop();
    }
}
