package dev.ponte.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;

import java.net.URI;

/**
 * A request as the remote system (or its stand-in) saw it, without credentials: how the kit compares what a sink
 * sent in production with what it recorded in sandbox mode.
 *
 * @param method protocol verb (HTTP method, SMTP, SUBMIT_SM)
 * @param target path and query for HTTP (a full URL is reduced to them), else the address
 * @param body   body text, or {@code null}
 */
public record RemoteRequest(String method, String target, String body) {

    public RemoteRequest {
        if (target != null && target.matches("^[a-z]+://.*")) {
            URI uri = URI.create(target);
            target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        }
        body = body == null || body.isEmpty() ? null : body;
    }

    /** Same method and target, and bodies equal as JSON when both are JSON, else as text. */
    public boolean sameAs(RemoteRequest other) {
        if (!method.equalsIgnoreCase(other.method) || !target.equals(other.target)) {
            return false;
        }
        if (body == null || other.body == null) {
            return body == null && other.body == null;
        }
        try {
            JsonNode a = Json.MAPPER.readTree(body);
            JsonNode b = Json.MAPPER.readTree(other.body);
            return a.equals(b);
        } catch (java.io.IOException notJson) {
            return body.equals(other.body);
        }
    }
}
