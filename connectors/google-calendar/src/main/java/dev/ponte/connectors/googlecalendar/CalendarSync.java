package dev.ponte.connectors.googlecalendar;

import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorStateStore;
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
    int sync(String calendarId, String correlationId) throws IOException {
        ReentrantLock lock = locks.computeIfAbsent(calendarId, k -> new ReentrantLock());
        lock.lock();
        try {
            String key = "sync-token:" + calendarId;
            Optional<ConnectorStateStore.Versioned> stored = ctx.state().get(key);
            long version = stored.map(ConnectorStateStore.Versioned::version).orElse(ConnectorStateStore.ABSENT);
            Optional<String> token = stored.map(ConnectorStateStore.Versioned::value).filter(t -> !t.isEmpty());
            try {
                return pages(calendarId, token.orElse(null), key, version, correlationId);
            } catch (IOException e) {
                if (CalendarErrors.status(e) != 410 || token.isEmpty()) {
                    throw e;
                }
                LOG.info("{}: sync token of {} expired (410); full resync", ctx.instance(), calendarId);
                return pages(calendarId, null, key, version, correlationId);
            }
        } finally {
            lock.unlock();
        }
    }

    private int pages(String calendarId, String syncToken, String key, long version, String correlationId)
            throws IOException {
        int sent = 0;
        String page = null;
        Events events;
        do {
            events = google.list(calendarId, syncToken, page);
            if (events.getItems() != null) {
                for (Event e : events.getItems()) {
                    Optional<ExternalChange> change = mapper.toChange(e, correlationId);
                    if (change.isPresent()) {
                        ctx.inbound().send(change.get());
                        sent++;
                    }
                }
            }
            page = events.getNextPageToken();
        } while (page != null);
        String next = events.getNextSyncToken();
        if (next != null) {
            if (!ctx.state().put(key, next, version)) {
                // the lock is per process: another hub on the same store synced meanwhile; its token wins
                LOG.info("{}: sync token of {} was moved by another sync meanwhile; kept", ctx.instance(), calendarId);
            }
        }
        LOG.debug("{}: {} synced, {} changes of ours", ctx.instance(), calendarId, sent);
        return sent;
    }
}
