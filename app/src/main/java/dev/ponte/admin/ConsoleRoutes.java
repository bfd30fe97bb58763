package dev.ponte.admin;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web console (README "Console"): {@code /} and its assets under {@code /console/}, served from the
 * application's own resources ({@code console/}); nothing is loaded from elsewhere (the page's Content-Security-Policy
 * allows only this origin). The page signs in with an API key and calls the admin API.
 */
public final class ConsoleRoutes extends RouteBuilder {

    /** The assets and their content types: nothing else is served. */
    private static final Map<String, String> ASSETS = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "console.css", "text/css; charset=utf-8");

    private final Map<String, byte[]> content = new java.util.HashMap<>();

    public ConsoleRoutes() {
        ASSETS.keySet().forEach(name -> {
            try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream("console/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the console's " + name + " is missing from the application");
                }
                content.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void configure() {
        from("platform-http:/?httpMethodRestrict=GET")
                .routeId("console")
                .process(e -> serve(e, "index.html"));
        from("platform-http:/console/{file}?httpMethodRestrict=GET")
                .routeId("console-assets")
                .process(e -> serve(e, e.getIn().getHeader("file", String.class)));
    }

    private void serve(Exchange e, String name) {
        e.getIn().removeHeaders("*");
        byte[] body = name == null ? null : content.get(name);
        if (body == null) {
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            e.getMessage().setBody("not found");
            return;
        }
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, ASSETS.get(name));
        e.getMessage().setHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
        e.getMessage().setHeader("X-Content-Type-Options", "nosniff");
        e.getMessage().setHeader("Cache-Control", "no-cache");
        e.getMessage().setBody(body);
    }
}
