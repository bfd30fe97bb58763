package dev.ponte.connectors.googlecalendar;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.RequestMethod;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.testkit.RemoteRequest;

import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A WireMock stand-in for Google's OAuth token endpoint and Calendar API v3, on a fixed free port (so it can be
 * stopped and started again). Error bodies follow Google's documented JSON error format.
 */
final class GoogleStandIn implements AutoCloseable {

    static final String CLIENT_SECRET = "kit-client-S3cret-value";
    static final String REFRESH_TOKEN = "kit-refresh-T0ken-value";
    static final String CHANNEL_TOKEN = "kit-channel-T0ken-value";
    static final String EVENTS = "/calendar/v3/calendars/[^/]+/events.*";

    final WireMockServer server;
    final int port;

    GoogleStandIn() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        server = new WireMockServer(options().port(port).bindAddress("127.0.0.1"));
        server.start();
        basics();
    }

    /** The token endpoint and the calendar list (health probe). */
    void basics() {
        server.stubFor(post(urlPathEqualTo("/token")).willReturn(aResponse().withHeader("Content-Type",
                "application/json").withBody("{\"access_token\":\"ya29.kit-access\",\"expires_in\":3600,"
                + "\"token_type\":\"Bearer\"}")));
        server.stubFor(get(urlPathEqualTo("/calendar/v3/users/me/calendarList")).willReturn(json(200,
                "{\"kind\":\"calendar#calendarList\",\"items\":[]}")));
    }

    /** Options of an instance talking to this stand-in. */
    Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("root-url", "http://127.0.0.1:" + port + "/");
        c.put("token-url", "http://127.0.0.1:" + port + "/token");
        c.put("client-id", "kit-client.apps.googleusercontent.com");
        c.put("client-secret", CLIENT_SECRET);
        c.put("refresh-token", REFRESH_TOKEN);
        c.put("channel-token", CHANNEL_TOKEN);
        c.put("backoff-initial", "50ms");
        c.put("backoff-max-elapsed", "3s");
        c.put("requests-per-second", "50");
        c.put("timeout", "3s");
        return c;
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json; charset=UTF-8")
                .withBody(body);
    }

    /** Google's error body: {"error": {"errors": [{domain, reason, message}], code, message}}. */
    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder error(int status, String reason,
                                                                                 String message) {
        return json(status, "{\"error\":{\"errors\":[{\"domain\":\"global\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\"}],\"code\":" + status + ",\"message\":\"" + message + "\"}}");
    }

    static String event(String id, String etag, String start, String end, String status, String appointmentId) {
        return "{\"kind\":\"calendar#event\",\"id\":\"" + id + "\",\"etag\":\"\\\"" + etag + "\\\"\",\"status\":\""
                + status + "\",\"updated\":\"2026-11-20T12:00:00.000Z\",\"summary\":\"Laser facial\","
                + (start == null ? "" : "\"start\":{\"dateTime\":\"" + start + "\"},\"end\":{\"dateTime\":\"" + end
                + "\"},") + "\"extendedProperties\":{\"private\":{\"ponteAppointmentId\":\"" + appointmentId
                + "\",\"ponteInstance\":\"kit\"}}}";
    }

    /** Every write to events succeeds. */
    void accepts() {
        server.stubFor(any(urlPathMatching(EVENTS)).atPriority(10).willReturn(json(200,
                "{\"kind\":\"calendar#event\",\"etag\":\"\\\"1\\\"\",\"status\":\"confirmed\"}")));
    }

    /** Calls to events that had an effect: 2xx writes (a connection reset is not one). */
    int effects() {
        return (int) writes().stream().filter(e -> e.getResponse().getStatus() / 100 == 2
                && e.getResponseDefinition().getFault() == null).count();
    }

    /** Writes to events (POST, PATCH, PUT, DELETE), oldest first. */
    List<ServeEvent> writes() {
        List<ServeEvent> out = new ArrayList<>(server.getAllServeEvents());
        java.util.Collections.reverse(out);
        return out.stream().filter(e -> !RequestMethod.GET.equals(e.getRequest().getMethod())
                && e.getRequest().getUrl().matches(EVENTS)).toList();
    }

    List<RemoteRequest> writeRequests() {
        return writes().stream().map(e -> new RemoteRequest(e.getRequest().getMethod().getName(),
                e.getRequest().getUrl(), e.getRequest().getBodyAsString())).toList();
    }

    long count(RequestMethod method, String urlRegex) {
        return server.getAllServeEvents().stream().filter(e -> method.equals(e.getRequest().getMethod())
                && e.getRequest().getUrl().matches(urlRegex)).count();
    }

    @Override
    public void close() {
        server.stop();
    }
}
