package dev.ponte.connectors.httpwebhook;

import dev.ponte.json.Json;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.spi.Health;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code http-webhook}: posts each appointment command as JSON to a URL, signed the
 * <a href="https://www.standardwebhooks.com/">Standard Webhooks</a> way so that the receiver can verify it and refuse
 * a captured request replayed later:
 * <ul>
 *   <li>{@code webhook-id}: the command's id, the same on every retry of that command (the receiver deduplicates on
 *       it);</li>
 *   <li>{@code webhook-timestamp}: Unix seconds when this attempt was sent (a receiver refuses one more than five
 *       minutes off its clock);</li>
 *   <li>{@code webhook-signature}: {@code v1,<base64 of HMAC-SHA256("<id>.<timestamp>.<body>")>}; the key is the
 *       {@code signing-secret}: {@code whsec_<base64>} (the spec's form, the key is the decoded bytes) or, for
 *       compatibility, any other text (the key is its UTF-8 bytes);</li>
 *   <li>{@code Idempotency-Key: <business key>}; the body is the command as JSON, unchanged.</li>
 * </ul>
 * Outcomes follow {@link HttpStatusPolicy}: 2xx is success; 408, 425, 429, 5xx and I/O errors are retried; other 4xx
 * are permanent. The example of the README's "Writing a connector".
 */
public final class HttpWebhookConnector implements Connector {

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("http-webhook", "0.1",
            "Posts appointment changes as signed JSON to an HTTP endpoint of another system", Direction.SINK,
            List.of(), List.of("Appointment"),
            List.of(
                    ConfigField.required("url", ConfigType.URL, "Where commands are posted, e.g. "
                            + "https://erp.clinica.example/ponte")
                            .validatedBy(ConfigValidator.schemes("https", "http")),
                    ConfigField.secret("signing-secret", "Key of the HMAC-SHA256 signature in webhook-signature "
                            + "(Standard Webhooks): whsec_ followed by the base64 key, or plain text", true)
                            .validatedBy(ConfigValidator.minLength(16)),
                    ConfigField.optional("timeout", ConfigType.DURATION, "10s",
                            "Connect and response timeout of each post")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(5)))));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext ctx) {
        URI url = ctx.config().url("url");
        Duration timeout = Duration.ofMillis(ctx.config().millis("timeout"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        byte[] key = key(ctx.config().string("signing-secret"));
        Sink sink = command -> {
            String body = Json.MAPPER.writeValueAsString(command);
            String id = command.id();
            long timestamp = Clock.systemUTC().instant().getEpochSecond();
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.put("Idempotency-Key", command.businessKey());
            headers.put("webhook-id", id);
            headers.put("webhook-timestamp", Long.toString(timestamp));
            headers.put("webhook-signature", "v1," + sign(key, id, timestamp, body));
            if (ctx.config().sandbox()) {
                ctx.sandbox().record(ctx.instance(), command.businessKey(), "POST", url.toString(), headers, body);
                return new Sink.Delivery(null, "recorded (sandbox)");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            String what = "post " + command.businessKey() + " to " + url.getHost();
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) { // refused, reset, timeout: retried
                throw HttpStatusPolicy.ioFailure(e, what);
            }
            HttpStatusPolicy.check(response.statusCode(), response.headers().firstValue("Retry-After").orElse(null),
                    what);
            return new Sink.Delivery(null, "posted (HTTP " + response.statusCode() + ")");
        };
        return new ConnectorInstance() {
            @Override
            public Sink sink() {
                return sink;
            }

            @Override
            public Health health() {
                int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
                try (Socket s = new Socket()) {
                    s.connect(new java.net.InetSocketAddress(url.getHost(), port), 3000);
                    return Health.up("endpoint " + url.getHost() + ":" + port + " accepts connections");
                } catch (IOException e) {
                    return Health.down("endpoint " + url.getHost() + ":" + port + " is unreachable: " + e.getMessage());
                }
            }
        };
    }

    /** The HMAC key of a signing secret: {@code whsec_<base64>} decoded (Standard Webhooks), else its UTF-8 bytes. */
    static byte[] key(String secret) {
        if (secret.startsWith("whsec_")) {
            try {
                return Base64.getDecoder().decode(secret.substring("whsec_".length()));
            } catch (IllegalArgumentException notBase64) {
                // not the spec's form after all: the text itself is the key, as for any other secret
            }
        }
        return secret.getBytes(StandardCharsets.UTF_8);
    }

    /** Base64 of HMAC-SHA256 over {@code <id>.<timestamp>.<body>} (Standard Webhooks, signature version v1). */
    static String sign(byte[] key, String id, long timestamp, String body) throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
    }
}
