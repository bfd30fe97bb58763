package dev.ponte.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /health/live} and {@code /health/ready} answered separately, as Camel health checks (issue 19). */
class LivenessReadinessIT {

    @TempDir
    Path dataDir;

    static HttpResponse<String> get(PonteHub hub, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + hub.settings().get("ponte.http.port") + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWorkingHubIsLiveAndReadyAndItsChecksAreInCamelsRegistry() throws Exception {
        try (PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(true)) {
            HttpResponse<String> live = get(hub, "/health/live");
            HttpResponse<String> ready = get(hub, "/health/ready");

            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            JsonNode r = Json.MAPPER.readTree(ready.body());
            assertThat(r.path("status").asText()).isEqualTo("UP");
            assertThat(r.path("details").path("database").asText()).isEqualTo("UP");
            assertThat(get(hub, "/health").statusCode()).isEqualTo(200);
            HealthCheckRegistry registry = HealthCheckRegistry.get(hub.camel());
            assertThat(registry.getCheck("ponte-ready")).get().extracting(HealthCheck::isReadiness).isEqualTo(true);
            assertThat(registry.getCheck("ponte-live")).get().extracting(HealthCheck::isLiveness).isEqualTo(true);
        }
    }

    @Test
    void aHubThatCannotWorkIsLiveButNotReady() throws Exception {
        // less free disk than required: /health is DOWN (the disk check), the process itself works
        try (PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.disk.min-free",
                String.valueOf(Long.MAX_VALUE / 4))))
                .start(true)) {
            HttpResponse<String> live = get(hub, "/health/live");
            HttpResponse<String> ready = get(hub, "/health/ready");

            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
            JsonNode r = Json.MAPPER.readTree(ready.body());
            assertThat(r.path("status").asText()).isEqualTo("DOWN");
            assertThat(r.path("details").path("disk").asText()).startsWith("DOWN");
            assertThat(get(hub, "/health").statusCode()).isEqualTo(503);
        }
    }
}
