package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.model.MessageStatus;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundSender;
import dev.ponte.spi.MessageEvents;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's {@link MessageEvents}.
 * <ul>
 *   <li><b>Statuses</b> move a message forward only (SENT &lt; DELIVERED &lt; READ); a FAILED status after SENT moves it
 *       to the next channel. A status for a provider id the hub has not recorded yet (the webhook was faster than the
 *       sink's commit) is kept and applied when the id is recorded ({@link MessageOutcomes}).</li>
 *   <li><b>Replies</b> are recorded once per provider id and classified ({@link Intents}). A confirm or cancel acts
 *       only on a reminder the patient can mean without doubt: the message it quotes, or — for a bare "1" — the one
 *       future, active appointment with a reminder sent to that number in the last {@value #BARE_REPLY_DAYS} days;
 *       and only when the appointment can still change that way (confirm a SCHEDULED one, cancel a SCHEDULED or
 *       CONFIRMED one). The change goes through the hub's inbound pipeline (an {@link ExternalChange} on the
 *       connector's inbound queue, correlated {@code reply:<provider id>}); the answer to the patient is scheduled
 *       when that change was applied ({@link Messaging#replyApplied}), never before. Anything else waits for a
 *       person ({@code bin/ponte messages replies}).</li>
 * </ul>
 */
public final class HubMessageEvents implements MessageEvents {

    public static final String CONFIRMED_TEMPLATE = "reply-confirmed";
    public static final String CANCELLED_TEMPLATE = "reply-cancelled";
    /** The external system name of changes made by patients' replies. */
    public static final String SYSTEM = "patient-reply";
    /** The correlation id prefix of those changes: {@code reply:<provider id>}. */
    public static final String CORRELATION = "reply:";
    static final int BARE_REPLY_DAYS = 7;
    private static final List<MessageStatus> ORDER = List.of(MessageStatus.QUEUED, MessageStatus.SENT,
            MessageStatus.DELIVERED, MessageStatus.READ);
    private static final Pattern BR_MOBILE = Pattern.compile("\\+55(\\d{2})(9?)(\\d{8})");

    private final Database db;
    private final Clock clock;
    private final Intents intents;
    private final Function<String, InboundSender> inbound;

    /** @param inbound the inbound sender of a connector instance, by instance name */
    public HubMessageEvents(Database db, Clock clock, MessagingSettings settings,
                            Function<String, InboundSender> inbound) {
        this.db = db;
        this.clock = clock;
        this.intents = new Intents(settings.keywords());
        this.inbound = inbound;
    }

    @Override
    public boolean status(StatusUpdate update) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            Optional<Messages.StoredMessage> found = Messages.byExternalId(c, update.externalId());
            if (found.isEmpty()) {
                Messages.addEarlyStatus(c, update.connector(), update.externalId(), new Messages.EarlyStatus(
                        update.status().name(), update.at(), update.errorCode(), update.errorTitle()), now);
                return false;
            }
            if (!update.connector().equals(found.get().connector())) {
                return false;
            }
            return apply(c, found.get(), update.status().name(), update.at(), update.errorCode(),
                    update.errorTitle(), now);
        });
    }

    /** Applies a provider's status to a message: forward only; FAILED after SENT moves it to the next channel. */
    static boolean apply(Connection c, Messages.StoredMessage m, String status, Instant at, String errorCode,
                         String errorTitle, Instant now) throws SQLException {
        if (DeliveryStatus.FAILED.name().equals(status)) {
            if (m.status() != MessageStatus.SENT) {
                return false; // delivered or read already, or moved on
            }
            MessageOutcomes.failedOnChannel(c, m, "the provider reported it failed" + (errorCode == null ? ""
                    : " (" + errorCode + (errorTitle == null ? "" : " " + errorTitle) + ")"), now);
            return true;
        }
        MessageStatus next = MessageStatus.valueOf(status);
        int was = ORDER.indexOf(m.status());
        if (was < 1 || ORDER.indexOf(next) <= was) {
            return false; // never backwards: a late DELIVERED after READ changes nothing
        }
        Messages.update(c, m.with(next, null, now));
        Messages.step(c, m.id(), now, "status", next.name(), m.channel(), "reported at " + at);
        return true;
    }

    @Override
    public Intent reply(PatientReply reply) {
        Instant now = clock.instant();
        Handling h = db.inTransaction(c -> record(c, reply, now));
        if (h.change() != null) {
            // after the commit: the reply is kept even if the broker refuses; the provider's retry sends it again,
            // and applying the same change twice changes nothing
            inbound.apply(reply.connector()).send(h.change());
        }
        return h.intent();
    }

    private record Handling(Intent intent, ExternalChange change) {
    }

    private Handling record(Connection c, PatientReply reply, Instant now) throws SQLException {
        Optional<Messages.Reply> seen = Messages.reply(c, reply.providerId());
        if (seen.isPresent()) {
            Messages.Reply r = seen.get();
            boolean pending = r.handled() != null && r.handled().startsWith(SENT_PREFIX);
            Optional<Messages.StoredMessage> m = r.messageId() == null ? Optional.empty()
                    : Messages.byId(c, r.messageId());
            return new Handling(Intent.DUPLICATE, pending && m.isPresent() && m.get().appointmentId() != null
                    ? change(reply, m.get().appointmentId(), Intent.valueOf(r.intent())) : null);
        }
        Intent intent = intents.classify(reply.text(), reply.button());
        Target t = target(c, reply, now);
        String handled = null;
        ExternalChange change = null;
        if (intent == Intent.CONFIRM || intent == Intent.CANCEL) {
            if (t.message() == null) {
                handled = "for a person: " + t.why();
            } else {
                String status = t.appointment().path("status").asText();
                boolean can = intent == Intent.CONFIRM ? status.equals("SCHEDULED")
                        : status.equals("SCHEDULED") || status.equals("CONFIRMED");
                if (intent == Intent.CONFIRM && status.equals("CONFIRMED")) {
                    handled = "already CONFIRMED";
                } else if (!can) {
                    handled = "for a person: the appointment is " + status;
                } else {
                    change = change(reply, t.message().appointmentId(), intent);
                    handled = SENT_PREFIX + change.fields().path("status").asText();
                }
            }
        }
        Messages.insertReply(c, new Messages.Reply(reply.providerId(), reply.connector(),
                t.message() == null ? null : t.message().id(), reply.from(), reply.text(), reply.button(),
                intent.name(), reply.at(), handled));
        AuditLog.append(c, reply.connector(), "message.reply", t.message() == null ? "-"
                : "Message/" + t.message().id(), "intent " + intent + (handled == null ? "" : "; " + handled), null, now);
        return new Handling(intent, change);
    }

    static final String SENT_PREFIX = "change sent: appointment ";

    /** The reminder a reply is about, with its appointment, or why there is none to act on. */
    private record Target(Messages.StoredMessage message, JsonNode appointment, String why) {
    }

    private Target target(Connection c, PatientReply reply, Instant now) throws SQLException {
        List<Messages.StoredMessage> candidates = new ArrayList<>();
        if (reply.inReplyTo() != null) {
            Messages.byExternalId(c, reply.inReplyTo()).filter(m -> reply.connector().equals(m.connector()))
                    .ifPresent(candidates::add);
            if (candidates.isEmpty()) {
                return new Target(null, null, "it quotes a message the hub did not send through " + reply.connector());
            }
        } else {
            candidates.addAll(Messages.sentTo(c, reply.connector(), variants(reply.from()),
                    now.minus(Duration.ofDays(BARE_REPLY_DAYS))));
        }
        Set<String> appointments = new LinkedHashSet<>();
        Messages.StoredMessage chosen = null;
        JsonNode appointment = null;
        for (Messages.StoredMessage m : candidates) {
            if (!MessagePurpose.REMINDER.id().equals(m.purpose()) || m.appointmentId() == null) {
                continue;
            }
            Optional<JsonNode> a = MessageDispatcher.read(c, "Appointment", m.appointmentId());
            if (a.isEmpty() || !future(a.get(), now) || (reply.inReplyTo() == null
                    && !Reminders.ACTIVE.contains(a.get().path("status").asText()))) {
                continue; // a bare reply can only mean an appointment that is still on
            }
            if (appointments.add(m.appointmentId()) && chosen == null) {
                chosen = m;
                appointment = a.get();
            }
        }
        if (appointments.size() == 1) {
            return new Target(chosen, appointment, null);
        }
        return new Target(null, null, appointments.isEmpty() ? "no reminder of a future appointment was sent to "
                + "this number in the last " + BARE_REPLY_DAYS + " days" : "reminders of " + appointments.size()
                + " future appointments were sent to this number; which one is meant is not known");
    }

    private static boolean future(JsonNode appointment, Instant now) {
        try {
            return OffsetDateTime.parse(appointment.path("start").asText()).toInstant().isAfter(now);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The forms a Brazilian mobile number takes: WhatsApp reports some without the ninth digit
     * ({@code +55 11 9xxxx-xxxx} as {@code +55 11 xxxx-xxxx}).
     */
    public static List<String> variants(String phone) {
        List<String> out = new ArrayList<>(List.of(phone));
        Matcher m = BR_MOBILE.matcher(phone);
        if (m.matches()) {
            out.add("+55" + m.group(1) + (m.group(2).isEmpty() ? "9" : "") + m.group(3));
        }
        return out;
    }

    private static ExternalChange change(PatientReply reply, String appointmentId, Intent intent) {
        ObjectNode fields = Json.MAPPER.createObjectNode();
        fields.put("status", intent == Intent.CONFIRM ? "CONFIRMED" : "CANCELLED");
        return new ExternalChange(reply.connector(), SYSTEM, "Appointment", appointmentId, appointmentId, fields,
                reply.at(), CORRELATION + reply.providerId());
    }
}
