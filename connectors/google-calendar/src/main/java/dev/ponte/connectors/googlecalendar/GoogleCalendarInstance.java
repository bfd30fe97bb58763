package dev.ponte.connectors.googlecalendar;

import com.google.api.client.http.HttpTransport;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.spi.Sink;
import org.apache.camel.RoutesBuilder;

import java.io.IOException;
import java.time.ZoneId;
import java.util.List;

/** One google-calendar instance: its gateway, sink, sync, routes (sync timer, watch channels) and push endpoint. */
final class GoogleCalendarInstance implements ConnectorInstance {

    private final ConnectorContext ctx;
    private final CalendarGateway google;
    private final CalendarSink sink;
    private final CalendarSync sync;
    private final List<String> calendars;

    GoogleCalendarInstance(ConnectorContext ctx) {
        this.ctx = ctx;
        ThreadLocal<String> current = new ThreadLocal<>();
        HttpTransport sandbox = ctx.config().sandbox() ? new SandboxTransport(ctx.sandbox(), ctx.instance(),
                current::get) : null;
        google = new CalendarGateway(ctx.config(), sandbox);
        EventMapper mapper = new EventMapper(ctx.instance(), ZoneId.of(ctx.config().string("time-zone")),
                ctx.config().bool("patient-in-title"));
        sink = new CalendarSink(ctx, google, mapper, current);
        sync = new CalendarSync(ctx, google, mapper);
        calendars = ctx.config().list("calendars");
        // sandbox mode reads nothing from Google; without calendars to sync back there is nothing to be told of
        if (!ctx.config().sandbox() && !calendars.isEmpty() && ctx.config().has("channel-token")) {
            ctx.webhooks().register(ctx.config().string("webhook-path"), java.util.Set.of("POST"),
                    new PushNotifications(ctx, sync, calendars, ctx.config().string("channel-token")));
        }
    }

    @Override
    public RoutesBuilder routes() {
        // sandbox mode reads nothing from Google: it only shows what would be written
        return ctx.config().sandbox() ? null : new SyncRoutes(ctx, google, sync, calendars);
    }

    @Override
    public Sink sink() {
        return sink;
    }

    @Override
    public Health health() {
        if (ctx.config().sandbox()) {
            return Health.up("sandbox: requests are recorded, not sent to Google");
        }
        try {
            google.ping();
            return Health.up("Google Calendar answers at " + ctx.config().url("root-url"));
        } catch (IOException | RuntimeException e) {
            return Health.down("Google Calendar at " + ctx.config().url("root-url") + " does not answer as expected ("
                    + (e instanceof IOException io ? CalendarErrors.describe(io) : e.getClass().getSimpleName()) + ")");
        }
    }
}
