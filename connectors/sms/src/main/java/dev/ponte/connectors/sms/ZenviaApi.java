package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two Zenvia API v2 calls of an instance, on one {@link HttpClient}: {@code POST
 * {base-url}/v2/channels/sms/messages} (JSON) and the health probe {@code GET {base-url}/v2/subscriptions}. Adds
 * {@code X-API-TOKEN: <api-token>} to each request and nowhere else: {@link #headers()} (what a sandbox records)
 * never holds it. Redirects are not followed. Thread safe.
 */
final class ZenviaApi {

    static final String DEFAULT_BASE_URL = "https://api.zenvia.com";
    static final String TOKEN_HEADER = "X-API-TOKEN";
    /** The health probe waits at most this long, whatever {@code timeout} says: /health must answer quickly. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String token;
    private final Duration timeout;
    private final URI messages;
    private final URI subscriptions;

    ZenviaApi(ConnectorConfig config) {
        this.timeout = Duration.ofMillis(config.millis("timeout"));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.token = config.string("api-token");
        String base = (config.has("base-url") ? config.url("base-url").toString() : DEFAULT_BASE_URL)
                .replaceAll("/+$", "");
        this.messages = URI.create(base + "/v2/channels/sms/messages");
        this.subscriptions = URI.create(base + "/v2/subscriptions");
    }

    URI messagesUri() {
        return messages;
    }

    /** Headers of a message post, without the token. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/json");
        h.put("Accept", "application/json");
        return h;
    }

    /**
     * Posts a message body.
     *
     * @throws IOException          before any status: refused, reset, timed out ({@code HttpTimeoutException})
     * @throws InterruptedException the hub is stopping
     */
    HttpResponse<String> postMessage(String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(messages).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        headers().forEach(request::header);
        request.header(TOKEN_HEADER, token);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The health probe: lists the webhook subscriptions, with the token, within {@link #PROBE_TIMEOUT}. */
    HttpResponse<String> probe() throws IOException, InterruptedException {
        Duration t = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
        HttpRequest request = HttpRequest.newBuilder(subscriptions).timeout(t).GET()
                .header("Accept", "application/json").header(TOKEN_HEADER, token).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    String host() {
        return messages.getHost() + (messages.getPort() > 0 ? ":" + messages.getPort() : "");
    }
}
