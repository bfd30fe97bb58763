package dev.ponte.connectors.legacyjdbc;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.SourceMapping;
import org.apache.camel.builder.RouteBuilder;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/** The poller of one legacy-jdbc instance: every poll-delay, each jdbc mapping's table in reference order. */
final class PollRoutes extends RouteBuilder {

    private final ConnectorContext ctx;

    PollRoutes(ConnectorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void configure() {
        TablePoller poller = new TablePoller(ctx);
        fromF("timer:%s-poll?period=%d&delay=500", ctx.instance(), ctx.config().millis("poll-delay"))
                .routeId(ctx.instance() + "-poll")
                .process(e -> {
                    String runId = ctx.instance() + "-" + LocalDateTime.now()
                            .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
                    for (SourceMapping m : ctx.mappings().inReferenceOrder()) {
                        if ("jdbc".equals(m.format())) {
                            long rows = poller.poll(m, runId, (table, n) -> { });
                            if (rows > 0) {
                                log.info("{}: {} new or changed rows of {} sent to the hub ({})", ctx.instance(), rows,
                                        m.table(), m.id());
                            }
                        }
                    }
                });
    }
}
