package dev.ponte.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the admin API: method, path (with {@code {name}} parameters), the permission it needs, what it
 * does, its query parameters and request body, and its handler. The routes and the OpenAPI document are both made
 * from the same list ({@link AdminApi#endpoints()}), so they cannot drift apart.
 */
record ApiEndpoint(String method, String path, Permission permission, String summary, List<Query> query,
                   String body, Handler handler) {

    private static final Pattern PARAMETER = Pattern.compile("\\{([a-zA-Z]+)}");

    /** A query parameter. */
    record Query(String name, String description) {
    }

    /** What a request brings. */
    record Request(ApiKeys.Principal who, Map<String, String> path, Map<String, String> query, JsonNode body,
                   String address) {
        String pathParam(String name) {
            return path.get(name);
        }

        long id(String name) {
            try {
                return Long.parseLong(path.get(name));
            } catch (NumberFormatException e) {
                throw new ApiException(400, name + " '" + path.get(name) + "' is not a number");
            }
        }

        /** A text field of the body as sent (a file's text: its blanks and final line break kept). */
        String requiredText(String field) {
            requiredBody(field);
            return body.get(field).asText();
        }

        String requiredBody(String field) {
            JsonNode v = body == null ? null : body.get(field);
            if (v == null || !v.isTextual() || v.asText().isBlank()) {
                throw new ApiException(400, "the request body needs \"" + field + "\" (a JSON object, e.g. {\""
                        + field + "\": \"...\"})");
            }
            return v.asText().strip();
        }
    }

    @FunctionalInterface
    interface Handler {
        /** The JSON answered with 200, or an {@link ApiException}. */
        JsonNode handle(Request request) throws Exception;
    }

    /** The path's parameter names, in order. */
    List<String> parameters() {
        Matcher m = PARAMETER.matcher(path);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
