package dev.ponte.connectors.googlecalendar;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.SandboxRecorder;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The HTTP transport of sandbox mode: every request the Google client builds is recorded (without its credentials)
 * instead of sent, and answered as Google would answer a success, so the flow goes on exactly as in production.
 */
final class SandboxTransport extends HttpTransport {

    private final SandboxRecorder recorder;
    private final String instance;
    private final Supplier<String> businessKey;

    /** @param businessKey the business key of the command being delivered on this thread, or {@code null} */
    SandboxTransport(SandboxRecorder recorder, String instance, Supplier<String> businessKey) {
        this.recorder = recorder;
        this.instance = instance;
        this.businessKey = businessKey;
    }

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        return new MockLowLevelHttpRequest(url) {
            @Override
            public LowLevelHttpResponse execute() throws IOException {
                Map<String, String> headers = new TreeMap<>();
                for (Map.Entry<String, List<String>> h : getHeaders().entrySet()) {
                    if (!h.getKey().equalsIgnoreCase("authorization")) {
                        headers.put(h.getKey(), String.join(", ", h.getValue()));
                    }
                }
                String body = getStreamingContent() == null ? null : getContentAsString();
                recorder.record(instance, businessKey.get(), method, url, headers, body);
                return answer(method, body);
            }
        };
    }

    private static LowLevelHttpResponse answer(String method, String body) throws IOException {
        MockLowLevelHttpResponse response = new MockLowLevelHttpResponse().setContentType("application/json");
        switch (method) {
            case "POST", "PATCH", "PUT" -> {
                ObjectNode echo = body == null || body.isBlank() ? Json.MAPPER.createObjectNode()
                        : (ObjectNode) Json.MAPPER.readTree(body);
                echo.put("etag", "\"sandbox\"");
                return response.setStatusCode(200).setContent(echo.toString());
            }
            case "DELETE" -> {
                return response.setStatusCode(204);
            }
            default -> {
                return response.setStatusCode(200).setContent("{\"items\":[],\"nextSyncToken\":\"sandbox\"}");
            }
        }
    }
}
