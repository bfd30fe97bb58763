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

    static Webhooks.Request request(Exchange e, String path) {
        var in = e.getIn();
        Map<String, String> headers = new LinkedHashMap<>();
        in.getHeaders().forEach((k, v) -> {
            if (!k.startsWith("Camel") && v != null) {
                headers.putIfAbsent(k, v instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0))
                        : String.valueOf(v));
            }
        });
        String method = String.valueOf(in.getHeader(Exchange.HTTP_METHOD, "POST", String.class))
                .toUpperCase(Locale.ROOT);
        byte[] body = in.getBody(byte[].class);
        return new Webhooks.Request(method, path, headers, query(in.getHeader(Exchange.HTTP_QUERY, String.class)),
                body);
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
