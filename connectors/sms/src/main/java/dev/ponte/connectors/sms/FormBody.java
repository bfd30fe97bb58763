package dev.ponte.connectors.sms;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code application/x-www-form-urlencoded} bodies, in UTF-8: what Twilio's REST API takes and what its webhooks
 * send. Pure.
 */
final class FormBody {

    private FormBody() {
    }

    /** The fields, in the map's order, encoded ({@code +} for a space, {@code %XX} for the rest). */
    static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }

    /**
     * The parameters of a body, by name (sorted), each with its values in the order they came; a name without
     * {@code =} has the empty value, empty pairs ({@code a=1&&b=2}) are skipped.
     *
     * @throws IllegalArgumentException when an escape is malformed ({@code %G1}, a {@code %} at the end)
     */
    static SortedMap<String, List<String>> decode(String body) {
        SortedMap<String, List<String>> out = new TreeMap<>();
        if (body == null || body.isEmpty()) {
            return out;
        }
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** The first value of a parameter, or {@code null}. */
    static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
