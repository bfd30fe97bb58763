package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.ConnectorConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two Graph API calls of an instance, on one {@link HttpClient}: {@code POST
 * {base-url}/{api-version}/{phone-number-id}/messages} and the health probe {@code GET
 * {base-url}/{api-version}/{phone-number-id}?fields=id}. Adds {@code Authorization: Bearer <access-token>} to each
 * request and nowhere else: {@link #headers()} (what a sandbox records) never holds the token. Thread safe.
 */
final class GraphApi {

    /** The health probe waits at most this long, whatever {@code timeout} says: /health must answer quickly. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private final URI messages;
    private final URI probe;

    GraphApi(ConnectorConfig config) {
        this.timeout = Duration.ofMillis(config.millis("timeout"));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authorization = "Bearer " + config.string("access-token");
        String base = config.url("base-url").toString().replaceAll("/+$", "");
        String node = base + "/" + config.string("api-version") + "/" + config.string("phone-number-id");
        this.messages = URI.create(node + "/messages");
        this.probe = URI.create(node + "?fields=id");
    }

    /** Where messages are posted. */
    URI messagesUri() {
        return messages;
    }

    /** Headers of a message post, without the credential. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        return h;
    }

    /**
     * Posts a message body.
     *
     * @throws IOException          before any status: refused, reset, timed out ({@code HttpTimeoutException})
     * @throws InterruptedException the hub is stopping
     */
    HttpResponse<String> postMessage(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(messages).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        headers().forEach(request::header);
        request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The health probe: reads the phone number's id, with the token, within {@link #PROBE_TIMEOUT}. */
    HttpResponse<String> probe() throws IOException, InterruptedException {
        Duration t = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(t).GET()
                .header("Authorization", authorization).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Host and port of the Graph API, for messages. */
    String host() {
        return messages.getHost() + (messages.getPort() > 0 ? ":" + messages.getPort() : "");
    }
}
