package dev.ponte.connectors.googlecalendar;

import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Webhooks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * The push-notification endpoint of an instance (POST on {@code webhook-path}, served by the hub through
 * {@link Webhooks}). A notification is accepted only when {@code X-Goog-Channel-ID} is one of our channels and
 * {@code X-Goog-Channel-Token} equals {@code channel-token} (compared in constant time); anything else is refused
 * with 403 and changes nothing. {@code X-Goog-Resource-State: sync} (the channel's first message) is acknowledged;
 * {@code exists} and {@code not_exists} sync the channel's calendar.
 */
final class PushNotifications implements Webhooks.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(PushNotifications.class);

    private final ConnectorContext ctx;
    private final CalendarSync sync;
    private final List<String> calendars;
    private final byte[] token;

    PushNotifications(ConnectorContext ctx, CalendarSync sync, List<String> calendars, String token) {
        this.ctx = ctx;
        this.sync = sync;
        this.calendars = calendars;
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Webhooks.Response handle(Webhooks.Request request) throws Exception {
        Optional<String> channel = request.header("X-Goog-Channel-ID");
        Optional<String> given = request.header("X-Goog-Channel-Token");
        Optional<String> calendar = channel.flatMap(ch -> calendars.stream()
                .filter(c -> ch.startsWith(SyncRoutes.channelPrefix(ctx.instance(), c))).findFirst());
        if (calendar.isEmpty() || given.isEmpty()
                || !MessageDigest.isEqual(token, given.get().getBytes(StandardCharsets.UTF_8))) {
            LOG.warn("{}: push notification refused (unknown channel or wrong channel token)", ctx.instance());
            return Webhooks.Response.status(403);
        }
        String state = request.header("X-Goog-Resource-State").orElse("");
        if ("exists".equals(state) || "not_exists".equals(state)) {
            sync.sync(calendar.get(), ctx.instance() + "-push-" + request.header("X-Goog-Message-Number").orElse("0"));
        }
        return Webhooks.Response.ok();
    }
}
