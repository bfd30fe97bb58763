package dev.ponte.hub;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** {@code GET /metrics}: the hub's metrics in Prometheus text format ({@link HubMetrics}); counts only, no key needed. */
final class MetricsRoutes extends RouteBuilder {

    static final String ROUTE_ID = "metrics";
    private final HubMetrics metrics;

    MetricsRoutes(HubMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void configure() {
        from("platform-http:/metrics?httpMethodRestrict=GET")
                .routeId(ROUTE_ID)
                .process(e -> {
                    e.getIn().removeHeaders("*");
                    e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
                    e.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
                    e.getMessage().setBody(metrics.scrape());
                });
    }
}
