package dev.ponte.connectors.httpwebhook;

import dev.ponte.json.Json;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.spi.Health;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
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
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * {@code http-webhook}: posts each appointment command as JSON to a URL, signed with HMAC-SHA256 of the body
 * ({@code X-Ponte-Signature: sha256=<hex>}) and carrying {@code Idempotency-Key: <business key>}, so the receiver
 * can verify and deduplicate. 2xx is success; 408, 429, 5xx and I/O errors are transient; other 4xx are permanent.
 * The example of the README's "Writing a connector".
 */
public final class HttpWebhookConnector implements Connector {

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor("http-webhook", "0.1",
            "Posts appointment changes as signed JSON to an HTTP endpoint of another system", Direction.SINK,
            List.of(), List.of("Appointment"),
            List.of(
                    ConfigField.required("url", ConfigType.URL, "Where commands are posted, e.g. "
                            + "https://erp.clinica.example/ponte"),
                    ConfigField.secret("signing-secret", "Key of the HMAC-SHA256 signature in X-Ponte-Signature",
                            true),
                    ConfigField.optional("timeout", ConfigType.DURATION, "10s",
                            "Connect and response timeout of each post")));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext ctx) {
        URI url = ctx.config().url("url");
        Duration timeout = Duration.ofMillis(ctx.config().millis("timeout"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        Sink sink = command -> {
            String body = Json.MAPPER.writeValueAsString(command);
            Map<String, String> headers = Map.of("Content-Type", "application/json",
                    "Idempotency-Key", command.businessKey(),
                    "X-Ponte-Signature", "sha256=" + sign(ctx.config().string("signing-secret"), body));
            if (ctx.config().sandbox()) {
                ctx.sandbox().record(ctx.instance(), command.businessKey(), "POST", url.toString(), headers, body);
                return new Sink.Delivery(null, "recorded (sandbox)");
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return outcome(command, response.statusCode());
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

    private static Sink.Delivery outcome(OutboundCommand command, int status) throws Exception {
        if (status / 100 == 2) {
            return new Sink.Delivery(null, "posted (HTTP " + status + ")");
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("the endpoint answered HTTP " + status + " for " + command.businessKey()
                    + "; retried with backoff");
        }
        throw new PermanentDeliveryException("the endpoint refused " + command.businessKey() + " with HTTP " + status
                + "; check the receiver's logs, then replay the dead letter");
    }

    static String sign(String secret, String body) throws java.security.GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
