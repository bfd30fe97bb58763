package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two Twilio REST calls of an instance, on one {@link HttpClient}: {@code POST
 * {base-url}/2010-04-01/Accounts/{account-sid}/Messages.json} (a form) and the health probe {@code GET
 * {base-url}/2010-04-01/Accounts/{account-sid}.json}. Adds HTTP basic authentication ({@code account-sid} as user,
 * {@code auth-token} as password) to each request and nowhere else: {@link #headers()} (what a sandbox records)
 * never holds it. Redirects are not followed. Thread safe.
 */
final class TwilioApi {

    static final String DEFAULT_BASE_URL = "https://api.twilio.com";
    /** The health probe waits at most this long, whatever {@code timeout} says: /health must answer quickly. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http;
    private final String authorization;
    private final Duration timeout;
    private final URI messages;
    private final URI account;

    TwilioApi(ConnectorConfig config) {
        this.timeout = Duration.ofMillis(config.millis("timeout"));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String sid = config.string("account-sid");
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((sid + ":" + config.string("auth-token"))
                .getBytes(StandardCharsets.UTF_8));
        String base = (config.has("base-url") ? config.url("base-url").toString() : DEFAULT_BASE_URL)
                .replaceAll("/+$", "");
        String node = base + "/2010-04-01/Accounts/" + sid;
        this.messages = URI.create(node + "/Messages.json");
        this.account = URI.create(node + ".json");
    }

    /** Where messages are posted. */
    URI messagesUri() {
        return messages;
    }

    /** Headers of a message post, without the credential. */
    Map<String, String> headers() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        h.put("Accept", "application/json");
        return h;
    }

    /**
     * Posts a message form.
     *
     * @throws IOException          before any status: refused, reset, timed out ({@code HttpTimeoutException})
     * @throws InterruptedException the hub is stopping
     */
    HttpResponse<String> postMessage(String form) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(messages).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(form, StandardCharsets.UTF_8));
        headers().forEach(request::header);
        request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The health probe: reads the account, with the credentials, within {@link #PROBE_TIMEOUT}. */
    HttpResponse<String> probe() throws IOException, InterruptedException {
        Duration t = timeout.compareTo(PROBE_TIMEOUT) < 0 ? timeout : PROBE_TIMEOUT;
        HttpRequest request = HttpRequest.newBuilder(account).timeout(t).GET().header("Accept", "application/json")
                .header("Authorization", authorization).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Host and port of the API, for messages. */
    String host() {
        return messages.getHost() + (messages.getPort() > 0 ? ":" + messages.getPort() : "");
    }
}
