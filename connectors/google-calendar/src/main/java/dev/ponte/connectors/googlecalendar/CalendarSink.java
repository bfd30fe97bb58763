package dev.ponte.connectors.googlecalendar;

import com.google.api.services.calendar.model.Event;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;

import java.io.IOException;
import java.util.Optional;

/**
 * Appointment commands → calendar writes.
 * <ul>
 *   <li>UPSERT: insert the event with its derived id; a 409 (it exists: a retry after a crash, or an update) turns
 *       into a patch;</li>
 *   <li>DELETE: delete the event; 404/410 mean it is already gone;</li>
 *   <li>writes carry {@code If-Match} with the etag of our last write or read. A 412 means the event changed in
 *       Google since: the event is read again, the conflict is audited, and the hub's version is applied on top of
 *       the new etag (<b>conflict policy: the hub wins</b>, the clinic system is the system of record).</li>
 * </ul>
 */
final class CalendarSink implements Sink {

    private final ConnectorContext ctx;
    private final CalendarGateway google;
    private final EventMapper mapper;
    private final ThreadLocal<String> current;

    /** @param current set to the command's business key while it is delivered (for sandbox records) */
    CalendarSink(ConnectorContext ctx, CalendarGateway google, EventMapper mapper, ThreadLocal<String> current) {
        this.ctx = ctx;
        this.google = google;
        this.mapper = mapper;
        this.current = current;
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        if (!"Appointment".equals(command.entity())) {
            throw new PermanentDeliveryException("google-calendar writes appointments only, not " + command.entity());
        }
        String calendarId = calendarOf(command);
        String eventId = EventMapper.eventId(command.canonicalId());
        current.set(command.businessKey());
        try {
            return command.action() == OutboundCommand.Action.DELETE ? delete(command, calendarId, eventId)
                    : upsert(command, calendarId, eventId);
        } catch (IOException e) {
            throw CalendarErrors.classify(e, (command.action() == OutboundCommand.Action.DELETE ? "delete" : "write")
                    + " event " + eventId + " in calendar " + calendarId);
        } finally {
            current.remove();
        }
    }

    private String calendarOf(OutboundCommand command) throws PermanentDeliveryException {
        String calendar = command.related("professionalId", "calendarId");
        if (calendar == null || calendar.isBlank()) {
            calendar = ctx.config().string("default-calendar");
        }
        if (calendar == null || calendar.isBlank()) {
            throw new PermanentDeliveryException("appointment " + command.canonicalId() + ": its professional "
                    + command.text("professionalId") + " has no calendarId and "
                    + ctx.config().fullKey("default-calendar") + " is not set; give the professional a calendar, "
                    + "then replay");
        }
        return calendar;
    }

    private Delivery upsert(OutboundCommand command, String calendarId, String eventId) throws IOException,
            PermanentDeliveryException {
        Event event;
        try {
            event = mapper.toEvent(command);
        } catch (RuntimeException e) {
            throw new PermanentDeliveryException("appointment " + command.canonicalId() + " cannot be written as an "
                    + "event (" + e.getClass().getSimpleName() + ": " + e.getMessage() + "); correct it, then replay");
        }
        String etag = etag(eventId);
        if (etag == null) {
            try {
                Event created = google.insert(calendarId, event);
                saveEtag(eventId, created.getEtag());
                return new Delivery(eventId, "event inserted in " + calendarId);
            } catch (IOException e) {
                if (CalendarErrors.status(e) != 409) {
                    throw e;
                }
                etag = google.get(calendarId, eventId).getEtag(); // it exists already: bring it up to date
            }
        }
        Event changes = event.clone().setId(null);
        try {
            Event patched = google.patch(calendarId, eventId, changes, etag);
            saveEtag(eventId, patched.getEtag());
            return new Delivery(eventId, "event updated in " + calendarId);
        } catch (IOException e) {
            int status = CalendarErrors.status(e);
            if (status == 404) {
                Event created = google.insert(calendarId, event);
                saveEtag(eventId, created.getEtag());
                return new Delivery(eventId, "event inserted again in " + calendarId);
            }
            if (status != 412) {
                throw e;
            }
            Event theirs = google.get(calendarId, eventId);
            conflict(command, "event " + eventId + " changed in Google after the hub's last write (updated "
                    + theirs.getUpdated() + "); the hub's version was applied over it");
            Event patched = google.patch(calendarId, eventId, changes, theirs.getEtag());
            saveEtag(eventId, patched.getEtag());
            return new Delivery(eventId, "event updated in " + calendarId + " after a conflict (hub wins)");
        }
    }

    private Delivery delete(OutboundCommand command, String calendarId, String eventId) throws IOException {
        try {
            google.delete(calendarId, eventId, etag(eventId));
        } catch (IOException e) {
            int status = CalendarErrors.status(e);
            if (status == 404 || status == 410) {
                return new Delivery(eventId, "event already deleted in " + calendarId);
            }
            if (status != 412) {
                throw e;
            }
            conflict(command, "event " + eventId + " changed in Google before the cancellation reached it; "
                    + "deleted anyway");
            google.delete(calendarId, eventId, null);
        }
        saveEtag(eventId, null);
        return new Delivery(eventId, "event deleted in " + calendarId);
    }

    private void conflict(OutboundCommand command, String detail) {
        ctx.audit().append("sync.conflict", "Appointment/" + command.canonicalId(), detail,
                "conflict policy: the hub wins");
    }

    private String etag(String eventId) {
        Optional<String> etag = ctx.state().value("etag:" + eventId);
        return etag.filter(s -> !s.isEmpty()).orElse(null);
    }

    private void saveEtag(String eventId, String etag) {
        // the ETag Google just answered is the truth: written over whatever another delivery stored meanwhile
        String key = "etag:" + eventId;
        while (!ctx.state().put(key, etag == null ? "" : etag, ctx.state().get(key)
                .map(dev.ponte.spi.ConnectorStateStore.Versioned::version).orElse(dev.ponte.spi.ConnectorStateStore.ABSENT))) {
            Thread.onSpinWait();
        }
    }
}
