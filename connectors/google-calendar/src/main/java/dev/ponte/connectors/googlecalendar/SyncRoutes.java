package dev.ponte.connectors.googlecalendar;

import dev.ponte.spi.ConnectorContext;
import org.apache.camel.builder.RouteBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The Google → hub routes of an instance: a timer that syncs every listed calendar and, when {@code push-address}
 * is set, the watch channels created at start (their notifications arrive at {@link PushNotifications}).
 */
final class SyncRoutes extends RouteBuilder {

    private final ConnectorContext ctx;
    private final CalendarGateway google;
    private final CalendarSync sync;
    private final List<String> calendars;

    SyncRoutes(ConnectorContext ctx, CalendarGateway google, CalendarSync sync, List<String> calendars) {
        this.ctx = ctx;
        this.google = google;
        this.sync = sync;
        this.calendars = calendars;
    }

    /** Channel ids name the instance and the calendar: {@code ponte-<instance>-<hash of calendar>-<random>}. */
    static String channelPrefix(String instance, String calendarId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(calendarId.getBytes(StandardCharsets.UTF_8));
            return "ponte-" + instance + "-" + HexFormat.of().formatHex(hash, 0, 8) + "-";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void configure() throws Exception {
        String instance = ctx.instance();
        if (calendars.isEmpty()) {
            return;
        }
        fromF("timer:%s-sync?delay=1000&period=%d", instance, ctx.config().millis("sync-interval"))
                .routeId(instance + "-sync")
                .process(e -> {
                    String correlation = instance + "-sync-" + UUID.randomUUID();
                    for (String calendar : calendars) {
                        try {
                            sync.sync(calendar, correlation);
                        } catch (java.io.IOException ex) {
                            log.warn("{}: sync of a calendar failed, next try in {} ms: {}", instance,
                                    ctx.config().millis("sync-interval"), CalendarErrors.describe(ex));
                        }
                    }
                });

        String token = ctx.config().string("channel-token");
        if (ctx.config().has("push-address")) {
            for (String calendar : calendars) {
                try {
                    String channel = channelPrefix(ctx.instance(), calendar) + UUID.randomUUID().toString()
                            .substring(0, 8);
                    google.watch(calendar, channel, ctx.config().url("push-address").toString(), token);
                } catch (java.io.IOException ex) {
                    log.warn("{}: cannot open a push channel for a calendar; it is still synced every {} ms ({})",
                            instance, ctx.config().millis("sync-interval"), CalendarErrors.describe(ex));
                }
            }
        }
    }
}
