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
 * The two REST calls of an HTTP SMS provider (Twilio, Zenvia), on one {@link HttpClient}: posting a message to
 * {@link #messagesUri()} and the health probe. The credential header is added to each request and nowhere else:
 * {@link #headers()} (what a sandbox records) never holds it. Redirects are not followed. Thread safe. Built by
 * {@link TwilioApi#open} and {@link ZenviaApi#open}, which know each provider's addresses and credential.
 */
final class ProviderHttp {

    /** The health probe waits at most this long, whatever {@code timeout} says: /health must answer quickly. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final Duration timeout;
    private final URI messages;
    private final URI probe;
    private final String contentType;
    private final String credentialHeader;
    private final String credential;

    /**
     * @param messages         where messages are posted
     * @param probe            what the health check reads (GET)
     * @param contentType      the content type of a message post
     * @param credentialHeader the header that carries the credential, e.g. {@code Authorization}
     * @param credential       its value (a secret)
     */
    ProviderHttp(ConnectorConfig config, URI messages, URI probe, String contentType, String credentialHeader,
                 String credential) {
        this.timeout = Duration.ofMillis(config.millis("timeout"));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.messages = messages;
        this.probe = probe;
        this.contentType = contentType;
        this.credentialHeader = credentialHeader;
        this.credential = credential;
    }

    /** The configured {@code base-url}, else the provider's, without a trailing slash. */
    static String base(ConnectorConfig config, String defaultBase) {
        return (config.has("base-url") ? config.url("base-url").toString() : defaultBase).replaceAll("/+$", "");
    }

    /** Where messages are posted. */
    URI messagesUri() {
        return messages;
    }

    /** Headers of a message post, without the credential. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("Accept", "application/json");
        return h;
    }

    /**
     * Posts a message.
     *
     * @throws IOException          before any status: refused, reset, timed out ({@code HttpTimeoutException})
     * @throws InterruptedException the hub is stopping
     */
    HttpResponse<String> postMessage(String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(messages).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers().forEach(request::header);
        request.header(credentialHeader, credential);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The health probe, with the credential, within {@link #PROBE_TIMEOUT}. */
    HttpResponse<String> probe() throws IOException, InterruptedException {
        Duration t = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
        HttpRequest request = HttpRequest.newBuilder(probe).timeout(t).GET().header("Accept", "application/json")
                .header(credentialHeader, credential).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Host and port of the API, for messages. */
    String host() {
        return messages.getHost() + (messages.getPort() > 0 ? ":" + messages.getPort() : "");
    }
}
