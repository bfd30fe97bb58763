package dev.ponte.connectors.googlecalendar;

import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import dev.ponte.inbound.ExternalChange;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.store.ConnectorState;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Google → hub: incremental sync of one calendar with its {@code syncToken}, kept in the store. Every event of ours
 * that changed becomes an {@link ExternalChange} on the instance's inbound queue (the hub applies it once: unchanged
 * content, such as the echo of our own writes, produces nothing). A 410 (token expired) clears the token and syncs
 * in full. One sync per calendar at a time (timer and push notifications may overlap).
 */
final class CalendarSync {

    private static final Logger LOG = LoggerFactory.getLogger(CalendarSync.class);

    private final ConnectorContext ctx;
    private final CalendarGateway google;
    private final EventMapper mapper;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    CalendarSync(ConnectorContext ctx, CalendarGateway google, EventMapper mapper) {
        this.ctx = ctx;
        this.google = google;
        this.mapper = mapper;
    }

    /**
     * Syncs one calendar.
     *
     * @return the number of changes sent to the hub
     */
    int sync(String calendarId, ProducerTemplate producer, String correlationId) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(calendarId, k -> new ReentrantLock());
        lock.lock();
        try {
            String key = "sync-token:" + calendarId;
            Optional<String> token = ctx.database().inTransaction(c -> ConnectorState.state(c, ctx.instance(), key))
                    .filter(t -> !t.isEmpty());
            try {
                return pages(calendarId, token.orElse(null), key, producer, correlationId);
            } catch (IOException e) {
                if (CalendarErrors.status(e) != 410 || token.isEmpty()) {
                    throw e;
                }
                LOG.info("{}: sync token of {} expired (410); full resync", ctx.instance(), calendarId);
                return pages(calendarId, null, key, producer, correlationId);
            }
        } finally {
            lock.unlock();
        }
    }

    private int pages(String calendarId, String syncToken, String key, ProducerTemplate producer,
                      String correlationId) throws IOException {
        int sent = 0;
        String page = null;
        Events events;
        do {
            events = google.list(calendarId, syncToken, page);
            if (events.getItems() != null) {
                for (Event e : events.getItems()) {
                    Optional<ExternalChange> change = mapper.toChange(e, correlationId);
                    if (change.isPresent()) {
                        producer.sendBody(ctx.inboundUri(), Json.MAPPER.writeValueAsString(change.get()));
                        sent++;
                    }
                }
            }
            page = events.getNextPageToken();
        } while (page != null);
        String next = events.getNextSyncToken();
        if (next != null) {
            ctx.database().inTransaction(c -> {
                ConnectorState.saveState(c, ctx.instance(), key, next);
                return null;
            });
        }
        LOG.debug("{}: {} synced, {} changes of ours", ctx.instance(), calendarId, sent);
        return sent;
    }
}
