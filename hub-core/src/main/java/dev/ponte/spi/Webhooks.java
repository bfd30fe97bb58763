package dev.ponte.spi;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The hub's HTTP server, for endpoints a remote system calls: webhooks, push notifications, a provider's
 * verification challenge. A connector registers its endpoints while it opens ({@link Connector#open} or the
 * instance's constructor); the hub serves them on {@code ponte.http.port} with the instance's routes, refuses bodies
 * over {@code ponte.http.max-body-size} before the handler runs, and stops them first at shutdown. Verifying that a
 * request is genuine (a signature, a token) is the connector's: the hub cannot know the provider's scheme.
 * One-shot commands ({@code bin/ponte import}) serve no HTTP: registrations are then accepted and not served.
 *
 * @since 0.2
 */
public interface Webhooks {

    /**
     * Serves {@code path} for {@code methods}; other methods get 405.
     *
     * @param path    starts with {@code /}, e.g. {@code /webhooks/whatsapp/<instance>}; unique in the hub
     * @param methods HTTP methods, e.g. {@code Set.of("GET", "POST")}
     * @param handler answers each request; see {@link Handler}
     * @throws IllegalArgumentException when the path is malformed or already served (naming the instance that
     *                                  serves it)
     */
    void register(String path, Set<String> methods, Handler handler);

    /** Answers one request. Called on the HTTP server's worker threads, possibly concurrently: thread safe. */
    @FunctionalInterface
    interface Handler {
        /**
         * @return the answer; never {@code null}
         * @throws Exception anything unexpected: the hub answers 500 without detail and logs the exception's class,
         *                   never the request (it may hold personal data)
         */
        Response handle(Request request) throws Exception;
    }

    /**
     * A request as received.
     *
     * @param method  upper-case, e.g. {@code POST}
     * @param path    the path served
     * @param headers header names in lower case (use {@link #header}); the first value of each
     * @param query   the query parameters, decoded; the first value of each
     * @param body    the raw body, byte for byte (verify signatures over it, not over a re-serialized form); empty
     *                when none. The exception is a form ({@code application/x-www-form-urlencoded}), which the
     *                hub's HTTP server decodes: it comes re-encoded in UTF-8, fields sorted by name (the same
     *                parameters, not necessarily the same bytes), so verify a form's signature over its decoded
     *                parameters, as Twilio's is computed
     */
    record Request(String method, String path, Map<String, String> headers, Map<String, String> query, byte[] body) {
        public Request {
            Objects.requireNonNull(method, "method");
            Map<String, String> lower = new TreeMap<>();
            headers.forEach((k, v) -> lower.putIfAbsent(k.toLowerCase(Locale.ROOT), v));
            headers = Map.copyOf(lower);
            query = Map.copyOf(query);
            body = body == null ? new byte[0] : body;
        }

        /** A header's value, by name in any case. */
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
        }

        /** The body as UTF-8 text. */
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            // never the body or header values: they may hold personal data or a provider's secrets
            return "Request[" + method + " " + path + ", headers " + List.copyOf(headers.keySet()) + ", "
                    + body.length + " bytes]";
        }
    }

    /**
     * The answer.
     *
     * @param status      the HTTP status
     * @param contentType e.g. {@code text/plain; charset=utf-8}, or {@code null} with an empty body
     * @param body        the body, empty for none
     */
    record Response(int status, String contentType, String body) {
        public Response {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("HTTP status " + status);
            }
            body = body == null ? "" : body;
        }

        /** 200 with an empty body. */
        public static Response ok() {
            return new Response(200, null, "");
        }

        /** A status with an empty body (403 for a forged request, 503 to ask the provider to retry). */
        public static Response status(int status) {
            return new Response(status, null, "");
        }

        /** A status with a plain-text body (a verification challenge echoed back). */
        public static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text);
        }
    }
}
