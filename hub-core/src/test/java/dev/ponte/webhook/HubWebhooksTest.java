package dev.ponte.webhook;

import dev.ponte.spi.Webhooks;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Endpoints registered through {@link Webhooks}, served on a real HTTP server as the hub serves them. */
class HubWebhooksTest {

    private final HubWebhooks webhooks = new HubWebhooks();
    private final List<Webhooks.Request> seen = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private DefaultCamelContext camel;
    private int port;

    @BeforeEach
    void serve() throws Exception {
        Webhooks wa = webhooks.forInstance("whatsapp");
        // a provider's verification challenge (GET) and its signed notifications (POST)
        wa.register("/webhooks/whatsapp/wa", Set.of("get", "POST"), request -> {
            seen.add(request);
            if (request.method().equals("GET")) {
                return request.query().get("hub.verify_token").equals("the-verify-token")
                        ? Webhooks.Response.text(200, request.query().get("hub.challenge"))
                        : Webhooks.Response.status(403);
            }
            return request.header("X-Hub-Signature-256").isPresent() ? Webhooks.Response.ok()
                    : Webhooks.Response.status(401);
        });
        webhooks.forInstance("buggy").register("/webhooks/buggy", Set.of("POST"), request -> {
            throw new NullPointerException("patient Maria, CPF 123.456.789-09");
        });
        camel = new DefaultCamelContext();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        MainHttpServer server = new MainHttpServer();
        server.setCamelContext(camel);
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setPath("/");
        camel.addService(server);
        camel.addRoutes(webhooks.routes());
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder at(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
    }

    @Test
    void requestsReachTheHandlerAsSentAndItsAnswerIsTheResponse() throws Exception {
        HttpResponse<String> challenge = send(at("/webhooks/whatsapp/wa?hub.mode=subscribe&hub.verify_token="
                + "the-verify-token&hub.challenge=1158201444%20x").GET());
        assertThat(challenge.statusCode()).isEqualTo(200);
        assertThat(challenge.body()).isEqualTo("1158201444 x");
        assertThat(challenge.headers().firstValue("content-type")).hasValueSatisfying(ct -> assertThat(ct)
                .startsWith("text/plain"));
        assertThat(send(at("/webhooks/whatsapp/wa?hub.verify_token=forged&hub.challenge=1").GET()).statusCode())
                .isEqualTo(403);

        byte[] body = "{\"entry\":[{\"id\":\"ção\"}]}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> post = send(at("/webhooks/whatsapp/wa").header("X-Hub-Signature-256", "sha256=ab")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        assertThat(post.statusCode()).isEqualTo(200);
        Webhooks.Request got = seen.get(seen.size() - 1);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.body()).as("the raw body, byte for byte").isEqualTo(body);
        assertThat(got.header("x-hub-signature-256")).hasValue("sha256=ab");
        assertThat(got.header("X-HUB-SIGNATURE-256")).hasValue("sha256=ab");
        assertThat(got.headers().keySet()).noneMatch(k -> k.startsWith("camel"));
        assertThat(got.toString()).doesNotContain("ção").doesNotContain("sha256=ab");
        assertThat(send(at("/webhooks/whatsapp/wa").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(401);
    }

    @Test
    void aFormBodyReachesTheHandlerReEncodedWithItsFieldsOutOfTheHeaders() throws Exception {
        // the HTTP server decodes forms itself; the handler still gets every parameter (Twilio signs them) and the
        // HTTP headers only
        String form = "To=%2B15005550006&Body=Ol%C3%A1+%C3%A7%C3%A3o%3D1&MessageSid=SM1&Body=2&x-note=a";
        HttpResponse<String> post = send(at("/webhooks/whatsapp/wa").header("X-Hub-Signature-256", "sig")
                .header("X-Note", "header").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(post.statusCode()).isEqualTo(200);
        Webhooks.Request got = seen.get(seen.size() - 1);
        assertThat(got.bodyText()).isEqualTo("Body=Ol%C3%A1+%C3%A7%C3%A3o%3D1&Body=2&MessageSid=SM1&To=%2B15005550006"
                + "&x-note=a");
        assertThat(got.headers()).doesNotContainKeys("to", "body", "messagesid");
        assertThat(got.header("X-Note")).hasValue("header");
        assertThat(got.header("X-Hub-Signature-256")).hasValue("sig");
    }

    @Test
    void otherMethodsAreRefusedAndAFailingHandlerAnswers500WithoutDetail() throws Exception {
        assertThat(send(at("/webhooks/whatsapp/wa").DELETE()).statusCode()).isEqualTo(405);
        HttpResponse<String> bug = send(at("/webhooks/buggy").POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(bug.body()).isEqualTo("internal error / erro interno");
        assertThat(send(at("/webhooks/nobody").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .isEqualTo(404);
    }

    @Test
    void aPathIsServedOnceAndMustBeAPath() {
        Webhooks other = webhooks.forInstance("whatsapp-2");
        assertThatThrownBy(() -> other.register("/webhooks/whatsapp/wa", Set.of("POST"), r -> Webhooks.Response.ok()))
                .hasMessage("whatsapp-2: webhook path /webhooks/whatsapp/wa is already served for instance whatsapp;"
                        + " give each instance its own path");
        assertThatThrownBy(() -> other.register("webhooks/x", Set.of("POST"), r -> Webhooks.Response.ok()))
                .hasMessageContaining("must start with /");
        assertThatThrownBy(() -> other.register("/x", Set.of("BREW"), r -> Webhooks.Response.ok()))
                .hasMessageContaining("method BREW is not one of");
        assertThat(webhooks.paths()).containsExactly("/webhooks/whatsapp/wa", "/webhooks/buggy");
    }
}
