package dev.ponte.webhook;

import dev.ponte.spi.Webhooks;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The webhook endpoints of every instance of a hub, and the Camel routes that serve them ({@link #routes()}, added
 * once every instance has opened). Each instance registers through its own {@link #forInstance view}. Thread safe.
 */
public final class HubWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(HubWebhooks.class);
    private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    /** One registered endpoint. */
    record Endpoint(String instance, String path, Set<String> methods, Webhooks.Handler handler) {
    }

    private final Map<String, Endpoint> byPath = new LinkedHashMap<>();

    /** The {@link Webhooks} of one instance. */
    public Webhooks forInstance(String instance) {
        return (path, methods, handler) -> register(instance, path, methods, handler);
    }

    private synchronized void register(String instance, String path, Set<String> methods, Webhooks.Handler handler) {
        if (path == null || !PATH.matcher(path).matches() || path.contains("//")) {
            throw new IllegalArgumentException(instance + ": webhook path '" + path + "' must start with / and hold "
                    + "only letters, digits and . _ ~ - /");
        }
        Set<String> upper = new TreeSet<>();
        for (String m : methods) {
            String u = m.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(u)) {
                throw new IllegalArgumentException(instance + ": webhook " + path + ": method " + m
                        + " is not one of " + new TreeSet<>(METHODS));
            }
            upper.add(u);
        }
        if (upper.isEmpty()) {
            throw new IllegalArgumentException(instance + ": webhook " + path + " needs at least one method");
        }
        Endpoint taken = byPath.get(path);
        if (taken != null) {
            throw new IllegalArgumentException(instance + ": webhook path " + path + " is already served for instance "
                    + taken.instance() + "; give each instance its own path");
        }
        byPath.put(path, new Endpoint(instance, path, Set.copyOf(upper), java.util.Objects.requireNonNull(handler)));
    }

    /** The paths registered so far, for the start-up message. */
    public synchronized List<String> paths() {
        return List.copyOf(byPath.keySet());
    }

    /** One {@code platform-http} route per endpoint registered so far. */
    public RoutesBuilder routes() {
        List<Endpoint> endpoints;
        synchronized (this) {
            endpoints = new ArrayList<>(byPath.values());
        }
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (Endpoint ep : endpoints) {
                    from("platform-http:" + ep.path() + "?httpMethodRestrict=" + String.join(",", ep.methods()))
                            .routeId(ep.instance() + "-webhook" + ep.path().replace('/', '-'))
                            .process(e -> answer(e, ep));
                }
            }
        };
    }

    static void answer(Exchange e, Endpoint ep) {
        Webhooks.Response response;
        try {
            response = ep.handler().handle(request(e, ep.path()));
            if (response == null) {
                throw new IllegalStateException("the handler answered null");
            }
        } catch (Exception | LinkageError ex) {
            // the request may hold personal data: only what failed, never what was sent
            LOG.warn("{}: webhook {} failed ({}); answered 500", ep.instance(), ep.path(),
                    ex.getClass().getName());
            response = Webhooks.Response.text(500, "internal error / erro interno");
        }
        var out = e.getMessage();
        out.getHeaders().keySet().removeIf(k -> !k.startsWith("Camel"));
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        if (response.contentType() != null) {
            out.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        }
        out.setBody(response.body());
    }

    /**
     * The request as the handler sees it. A form body ({@code application/x-www-form-urlencoded}) is the one the
     * HTTP server does not hand over raw: it decodes it into a map body and appends each field to the message
     * headers. Such a body is re-encoded ({@link #formBody}) and its fields are taken out of the headers again
     * ({@link #withoutFormFields}), so that a handler sees the HTTP headers only and can verify a signature over the
     * decoded parameters (Twilio's).
     */
    static Webhooks.Request request(Exchange e, String path) {
        var in = e.getIn();
        Map<String, Object> form = in.getBody() instanceof Map<?, ?> fields ? formFields(fields) : null;
        Map<String, String> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            Object value = form == null ? v : withoutFormFields(k, v, form);
            if (!k.startsWith("Camel") && value != null) {
                headers.putIfAbsent(k, value instanceof List<?> list && !list.isEmpty()
                        ? String.valueOf(list.get(0)) : String.valueOf(value));
            }
        });
        String method = String.valueOf(in.getHeader(Exchange.HTTP_METHOD, "POST", String.class))
                .toUpperCase(Locale.ROOT);
        byte[] body = form != null ? formBody(form).getBytes(StandardCharsets.UTF_8) : in.getBody(byte[].class);
        return new Webhooks.Request(method, path, headers, query(in.getHeader(Exchange.HTTP_QUERY, String.class)),
                body);
    }

    /** The fields of a decoded form body, by name (sorted): a value or a list of values in the order sent. */
    private static Map<String, Object> formFields(Map<?, ?> fields) {
        Map<String, Object> out = new java.util.TreeMap<>();
        fields.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    /**
     * A decoded form re-encoded in UTF-8: fields sorted by name, a repeated name's values in the order sent, {@code +}
     * for a space. The same parameters as sent, not necessarily the same bytes.
     */
    static String formBody(Map<String, Object> form) {
        StringBuilder s = new StringBuilder();
        form.forEach((name, value) -> {
            for (Object v : value instanceof List<?> list ? list : List.of(value)) {
                s.append(s.isEmpty() ? "" : "&").append(java.net.URLEncoder.encode(name, StandardCharsets.UTF_8))
                        .append('=').append(java.net.URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        });
        return s.toString();
    }

    /**
     * A message header without the form fields the HTTP server appended to it: {@code null} when it holds only the
     * field of that name, the HTTP header's value when a header of the same name came too.
     */
    static Object withoutFormFields(String name, Object header, Map<String, Object> form) {
        Object field = null;
        for (Map.Entry<String, Object> f : form.entrySet()) {
            if (f.getKey().equalsIgnoreCase(name)) {
                field = f.getValue();
                break;
            }
        }
        if (field == null) {
            return header;
        }
        List<?> fieldValues = field instanceof List<?> l ? l : List.of(field);
        List<?> headerValues = header instanceof List<?> l ? l : List.of(header);
        if (headerValues.equals(fieldValues)) {
            return null;
        }
        int own = headerValues.size() - fieldValues.size();
        if (own > 0 && headerValues.subList(own, headerValues.size()).equals(fieldValues)) {
            return own == 1 ? headerValues.get(0) : List.copyOf(headerValues.subList(0, own));
        }
        return header;
    }

    /** {@code a=1&b=x%20y} as {@code {a=1, b=x y}}; the first value of a repeated name. */
    static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.putIfAbsent(name, value);
            } catch (IllegalArgumentException malformed) {
                // a malformed escape: the parameter is left out, the handler sees it missing
            }
        }
        return out;
    }
}
