package dev.ponte.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.messaging.HubMessageEvents;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.CampaignRuns;
import dev.ponte.store.Database;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What followed each run of a campaign, per patient and counted: the message's fate in the messaging core (sent,
 * still pending, or blocked, cancelled or failed there, with the step that decided it), whether the patient replied
 * within {@code attribution.replied-within-days} after it was sent (a reply the hub tied to the message, or any from
 * its recipient's address through its connector), and whether an appointment of the patient was booked within
 * {@code attribution.booked-within-days} (an Appointment record the hub first saw after the message was sent).
 * {@link #refresh} writes the sent, replied and booked times on each target; counting reads them.
 */
public final class CampaignResults {

    /** The statuses of a message that reached the patient's channel. */
    private static final Set<MessageStatus> SENT = Set.of(MessageStatus.SENT, MessageStatus.DELIVERED,
            MessageStatus.READ);
    private static final Set<MessageStatus> PENDING = Set.of(MessageStatus.SCHEDULED, MessageStatus.QUEUED);

    /**
     * The counts of one run.
     *
     * @param targeted the patients the campaign meant to message (scheduled, or blocked at the run)
     * @param blocked  by reason: at the run ({@code consent}, {@code recipient}), or by the messaging core when the
     *                 message was due ({@code consent}, {@code recipient}, {@code template}, {@code cancelled},
     *                 {@code failed})
     * @param excluded by reason: audience filters and the campaign's cadence
     */
    public record Summary(CampaignRuns.Run run, int targeted, int sent, int pending, Map<String, Integer> blocked,
                          Map<String, Integer> excluded, int replied, int booked) {
    }

    private final Clock clock;

    public CampaignResults(Clock clock) {
        this.clock = clock;
    }

    /** Brings every run's attribution up to date, then counts each run, newest first. */
    public List<Summary> results(Database db, Campaign campaign) {
        Instant now = clock.instant();
        return db.inTransaction(c -> {
            List<Summary> out = new ArrayList<>();
            for (CampaignRuns.Run run : CampaignRuns.runs(c, campaign.id())) {
                refresh(c, campaign, run, now);
                out.add(summary(c, run));
            }
            return out;
        });
    }

    /** Writes, for each scheduled target of a run, when its message was sent, replied to and followed by a booking. */
    public static void refresh(Connection c, Campaign campaign, CampaignRuns.Run run, Instant now)
            throws SQLException {
        for (CampaignRuns.Target t : CampaignRuns.targets(c, run.id())) {
            if (t.messageId() == null) {
                continue;
            }
            Optional<Messages.StoredMessage> m = Messages.byId(c, t.messageId());
            Instant sent = m.filter(x -> SENT.contains(x.status())).map(Messages.StoredMessage::sentAt).orElse(null);
            Instant replied = null;
            Instant booked = null;
            String appointment = null;
            if (sent != null) {
                List<String> senders = m.get().recipient() == null ? List.of()
                        : HubMessageEvents.variants(m.get().recipient());
                replied = CampaignRuns.firstReply(c, m.get().id(), m.get().connector(), senders, sent,
                        sent.plus(Duration.ofDays(campaign.repliedWithinDays()))).orElse(null);
                for (CampaignRuns.Created a : CampaignRuns.createdBetween(c, "Appointment", sent,
                        sent.plus(Duration.ofDays(campaign.bookedWithinDays())))) {
                    if (t.patientId().equals(patientOf(a.payload()))) {
                        booked = a.createdAt();
                        appointment = a.id();
                        break;
                    }
                }
            }
            if (!Objects.equals(sent, t.sentAt()) || !Objects.equals(replied, t.repliedAt())
                    || !Objects.equals(booked, t.bookedAt()) || !Objects.equals(appointment, t.bookedAppointment())) {
                CampaignRuns.attribution(c, run.id(), t.patientId(), sent, replied, booked, appointment, now);
            }
        }
    }

    /** The counts of a run as recorded (after {@link #refresh}). */
    public static Summary summary(Connection c, CampaignRuns.Run run) throws SQLException {
        int targeted = 0;
        int sent = 0;
        int pending = 0;
        int replied = 0;
        int booked = 0;
        Map<String, Integer> blocked = new TreeMap<>();
        Map<String, Integer> excluded = new TreeMap<>();
        for (CampaignRuns.Target t : CampaignRuns.targets(c, run.id())) {
            switch (t.outcome()) {
                case CampaignRuns.EXCLUDED -> excluded.merge(t.reason(), 1, Integer::sum);
                case CampaignRuns.BLOCKED -> {
                    targeted++;
                    blocked.merge(t.reason(), 1, Integer::sum);
                }
                default -> {
                    targeted++;
                    Optional<Messages.StoredMessage> m = t.messageId() == null ? Optional.empty()
                            : Messages.byId(c, t.messageId());
                    MessageStatus status = m.map(Messages.StoredMessage::status).orElse(MessageStatus.CANCELLED);
                    if (SENT.contains(status)) {
                        sent++;
                    } else if (PENDING.contains(status)) {
                        pending++;
                    } else {
                        blocked.merge(coreReason(c, m.orElse(null)), 1, Integer::sum);
                    }
                    replied += t.repliedAt() != null ? 1 : 0;
                    booked += t.bookedAt() != null ? 1 : 0;
                }
            }
        }
        return new Summary(run, targeted, sent, pending, blocked, excluded, replied, booked);
    }

    /** Why the messaging core did not send a message: the step that blocked it, or its status. */
    private static String coreReason(Connection c, Messages.StoredMessage m) throws SQLException {
        if (m == null) {
            return "cancelled";
        }
        if (m.status() == MessageStatus.BLOCKED) {
            List<Messages.Step> steps = Messages.steps(c, m.id());
            for (int i = steps.size() - 1; i >= 0; i--) {
                if ("BLOCKED".equals(steps.get(i).outcome())) {
                    return steps.get(i).step();
                }
            }
            return "blocked";
        }
        return m.status().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String patientOf(String payload) {
        try {
            JsonNode n = Json.MAPPER.readTree(payload);
            return CampaignAudience.text(n, "patientId");
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
