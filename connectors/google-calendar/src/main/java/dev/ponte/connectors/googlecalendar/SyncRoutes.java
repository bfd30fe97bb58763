package dev.ponte.connectors.googlecalendar;

import dev.ponte.spi.ConnectorContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The Google → hub routes of an instance: a timer that syncs every listed calendar, the push-notification endpoint
 * (POST on {@code webhook-path}) and, when {@code push-address} is set, the watch channels created at start.
 * <p>
 * A notification is accepted only when {@code X-Goog-Channel-ID} is one of our channels and
 * {@code X-Goog-Channel-Token} equals {@code channel-token}; anything else is refused with 403 and changes nothing.
 * {@code X-Goog-Resource-State: sync} (the channel's first message) is acknowledged; {@code exists} and
 * {@code not_exists} sync the channel's calendar.
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
        ProducerTemplate producer = getContext().createProducerTemplate();
        if (calendars.isEmpty()) {
            return;
        }
        fromF("timer:%s-sync?delay=1000&period=%d", instance, ctx.config().millis("sync-interval"))
                .routeId(instance + "-sync")
                .process(e -> {
                    String correlation = instance + "-sync-" + UUID.randomUUID();
                    for (String calendar : calendars) {
                        try {
                            sync.sync(calendar, producer, correlation);
                        } catch (java.io.IOException ex) {
                            log.warn("{}: sync of a calendar failed, next try in {} ms: {}", instance,
                                    ctx.config().millis("sync-interval"), CalendarErrors.describe(ex));
                        }
                    }
                });

        String token = ctx.config().string("channel-token");
        if (token == null) {
            return;
        }
        from("platform-http:" + ctx.config().string("webhook-path") + "?httpMethodRestrict=POST")
                .routeId(instance + "-push")
                .process(e -> notification(e, token, producer));

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

    private void notification(Exchange e, String token, ProducerTemplate producer) throws Exception {
        String channel = e.getIn().getHeader("X-Goog-Channel-ID", String.class);
        String given = e.getIn().getHeader("X-Goog-Channel-Token", String.class);
        String state = e.getIn().getHeader("X-Goog-Resource-State", String.class);
        Optional<String> calendar = channel == null ? Optional.empty()
                : calendars.stream().filter(c -> channel.startsWith(channelPrefix(ctx.instance(), c))).findFirst();
        e.getMessage().setBody("");
        if (calendar.isEmpty() || given == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8))) {
            log.warn("{}: push notification refused (unknown channel or wrong channel token)", ctx.instance());
            e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 403);
            return;
        }
        if ("exists".equals(state) || "not_exists".equals(state)) {
            sync.sync(calendar.get(), producer, ctx.instance() + "-push-"
                    + e.getIn().getHeader("X-Goog-Message-Number", "0", String.class));
        }
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
    }
}
