package dev.ponte.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;

import java.util.List;
import java.util.Locale;

/**
 * The OpenAPI 3.0 document of the admin API, made from its endpoint list ({@link AdminApi#endpoints()}): the same
 * list the routes are made of, so the document cannot describe an endpoint that is not served or miss one that is.
 */
final class OpenApiDocument {

    private OpenApiDocument() {
    }

    static ObjectNode of(List<ApiEndpoint> endpoints) {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Ponte admin API").put("version", "1")
                .put("description", "The hub's management API (README \"Admin API\"). Every operation needs an API key "
                        + "(Authorization: Bearer <key>, bin/ponte apikey create) whose role has the operation's "
                        + "permission (x-ponte-permission; README \"Roles\").");
        doc.putArray("security").addObject().putArray("apiKey");
        ObjectNode schemes = doc.putObject("components").putObject("securitySchemes");
        schemes.putObject("apiKey").put("type", "http").put("scheme", "bearer")
                .put("description", "ponte_<id>_<secret>, created by bin/ponte apikey create or POST /api/keys");
        ObjectNode schemas = ((ObjectNode) doc.get("components")).putObject("schemas");
        schemas.putObject("Error").put("type", "object").putObject("properties").putObject("error")
                .put("type", "string");
        ObjectNode paths = doc.putObject("paths");
        for (ApiEndpoint e : endpoints) {
            ObjectNode path = paths.has(e.path()) ? (ObjectNode) paths.get(e.path()) : paths.putObject(e.path());
            ObjectNode op = path.putObject(e.method().toLowerCase(Locale.ROOT));
            op.put("operationId", operationId(e));
            op.put("summary", e.summary());
            op.put("x-ponte-permission", e.permission().name());
            op.put("description", "Roles: " + e.permission().roles().stream().map(Role::label).sorted().toList());
            ArrayNode params = op.putArray("parameters");
            for (String p : e.parameters()) {
                params.addObject().put("name", p).put("in", "path").put("required", true)
                        .putObject("schema").put("type", "string");
            }
            for (ApiEndpoint.Query q : e.query()) {
                params.addObject().put("name", q.name()).put("in", "query").put("required", false)
                        .put("description", q.description()).putObject("schema").put("type", "string");
            }
            if (params.isEmpty()) {
                op.remove("parameters");
            }
            if (e.body() != null) {
                ObjectNode media = op.putObject("requestBody").put("required", true).putObject("content")
                        .putObject("application/json");
                media.putObject("schema").put("type", "object");
                media.set("example", parse(e.body()));
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject("200").put("description", "done; the JSON answer")
                    .putObject("content").putObject("application/json").putObject("schema");
            error(responses, "400", "the request is not valid (the message says which parameter or field)");
            error(responses, "401", "no API key, or not a valid one");
            error(responses, "403", "the key's role lacks the permission");
            if (!e.parameters().isEmpty()) {
                error(responses, "404", "no such item");
            }
            error(responses, "429", "too many failed authentications from this address (Retry-After)");
        }
        ObjectNode spec = paths.putObject(AdminApi.OPENAPI_PATH).putObject("get");
        spec.put("operationId", "openapi").put("summary", "This document (no key needed: it holds no data)");
        spec.putArray("security").addObject();
        spec.putObject("responses").putObject("200").put("description", "the OpenAPI document");
        return doc;
    }

    private static String operationId(ApiEndpoint e) {
        StringBuilder id = new StringBuilder(e.method().toLowerCase(Locale.ROOT));
        for (String part : e.path().substring("/api/".length()).split("/")) {
            String word = part.replaceAll("[{}]", "").replace("-", " ");
            for (String w : word.split(" ")) {
                if (!w.isEmpty()) {
                    id.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
                }
            }
            if (part.startsWith("{")) {
                id.insert(id.length() - word.length(), "By");
            }
        }
        return id.toString();
    }

    private static void error(ObjectNode responses, String code, String description) {
        responses.putObject(code).put("description", description).putObject("content").putObject("application/json")
                .putObject("schema").put("$ref", "#/components/schemas/Error");
    }

    private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("example body of an endpoint is not JSON: " + json, e);
        }
    }
}
