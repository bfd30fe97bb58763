package dev.ponte.campaigns;

import dev.ponte.messaging.MessagePolicy;
import dev.ponte.messaging.MessagePurpose;
import dev.ponte.messaging.MessagingSettings;
import dev.ponte.messaging.Template;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CampaignRuns;
import dev.ponte.store.Database;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A campaign's day: who it is for ({@link CampaignAudience}), who its cadence leaves out (a patient it messaged in
 * the last {@code cadence.once-per-patient-days}), who the messaging core would block now ({@link
 * MessagePolicy#preflight}: consent for MARKETING on a served channel, a valid recipient), and a RECALL message for
 * everyone else, due at the campaign's window's next opening. The messages are rows of the messaging core's table
 * like reminders, so every check of {@link MessagePolicy} (consent, quiet hours, the cadence of
 * {@code ponte.messaging.cadence.recall}, recipient) applies again when each is due; the campaign's channel order
 * travels with each message.
 * <p>
 * {@link #preview} writes nothing. {@link #run} records the run and each patient in one transaction, once per
 * campaign and day: a second run of the same day records and schedules nothing (the run's unique key, and each
 * message's business key {@code campaign:<id>:<day>:<patient>}). Logs carry ids and counts only.
 */
public final class CampaignRun {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CampaignRun.class);

    /** Why a patient is left out by the campaign's own cadence. */
    public static final String CAMPAIGN_CADENCE = "campaign-cadence";

    /**
     * What the run decides for one patient the trigger selected.
     *
     * @param outcome   {@link CampaignRuns#EXCLUDED}, {@link CampaignRuns#BLOCKED} or {@link CampaignRuns#SCHEDULED}
     * @param reason    the short why of an exclusion or a block, else {@code null}
     * @param channel   the channel the message would go on first, when scheduled
     * @param recipient the address on it (personal data: mask it before showing)
     */
    public record Decision(String patientId, String outcome, String reason, String detail, Channel channel,
                           String recipient) {
    }

    /** The decisions of a day, by patient id, and when the messages would be due. */
    public record Plan(String campaign, LocalDate day, Instant dueAt, List<Decision> decisions) {

        public Plan {
            decisions = List.copyOf(decisions);
        }

        public int count(String outcome) {
            return (int) decisions.stream().filter(d -> d.outcome().equals(outcome)).count();
        }

        /** How many of an outcome each reason has, by reason. */
        public Map<String, Integer> reasons(String outcome) {
            Map<String, Integer> out = new TreeMap<>();
            decisions.stream().filter(d -> d.outcome().equals(outcome))
                    .forEach(d -> out.merge(d.reason(), 1, Integer::sum));
            return out;
        }
    }

    /** A run: its record, its plan (the decisions taken now, or those of the earlier run of that day). */
    public record Result(CampaignRuns.Run run, Plan plan, boolean alreadyRun) {
    }

    private final MessagingSettings settings;
    private final TemplateSet templates;
    private final MessagePolicy policy;
    private final CampaignAudience audience;
    private final Clock clock;

    public CampaignRun(MessagingSettings settings, TemplateSet templates, Clock clock) {
        this.settings = settings;
        this.templates = templates;
        this.policy = new MessagePolicy(settings);
        this.audience = new CampaignAudience(settings.quietHours().zone());
        this.clock = clock;
    }

    /** What a run of {@code day} would do now; writes nothing. */
    public Plan preview(Database db, Campaign campaign, LocalDate day) {
        Instant now = clock.instant();
        return db.read(c -> plan(c, campaign, day, now));
    }

    /**
     * Runs the campaign for {@code day}, once.
     *
     * @param actor who asked (the admin's name)
     */
    public Result run(Database db, Campaign campaign, LocalDate day, String actor) {
        Instant now = clock.instant();
        Result r = db.inTransaction(c -> {
            Optional<CampaignRuns.Run> earlier = CampaignRuns.run(c, campaign.id(), day);
            if (earlier.isPresent()) {
                return new Result(earlier.get(), recorded(c, earlier.get()), true);
            }
            CampaignRuns.Run run = new CampaignRuns.Run(Ids.newId(), campaign.id(), campaign.version(), day, now,
                    actor);
            if (!CampaignRuns.insertRun(c, run)) {
                throw new IllegalStateException("campaign " + campaign.id() + " is running for " + day
                        + " elsewhere");
            }
            Plan plan = plan(c, campaign, day, now);
            List<Decision> recorded = new ArrayList<>();
            for (Decision d : plan.decisions()) {
                String messageId = null;
                if (d.outcome().equals(CampaignRuns.SCHEDULED)) {
                    messageId = schedule(c, campaign, day, d.patientId(), plan.dueAt(), now);
                }
                CampaignRuns.insertTarget(c, new CampaignRuns.Target(run.id(), d.patientId(), d.outcome(),
                        d.reason(), d.detail(), messageId, null, null, null, null, now));
                recorded.add(d);
            }
            Plan done = new Plan(plan.campaign(), day, plan.dueAt(), recorded);
            AuditLog.append(c, actor, "campaign.run", "campaign/" + campaign.id(), "day " + day + ", version "
                    + campaign.version() + ": " + done.count(CampaignRuns.SCHEDULED) + " scheduled, blocked "
                    + done.reasons(CampaignRuns.BLOCKED) + ", excluded " + done.reasons(CampaignRuns.EXCLUDED), null,
                    now);
            return new Result(run, done, false);
        });
        LOG.info("campaign {} {} for {}: {} scheduled, {} blocked, {} excluded (run {})", campaign.id(),
                r.alreadyRun() ? "already ran" : "ran", day, r.plan().count(CampaignRuns.SCHEDULED),
                r.plan().count(CampaignRuns.BLOCKED), r.plan().count(CampaignRuns.EXCLUDED), r.run().id());
        return r;
    }

    /** The business key of a campaign's message to a patient on a day. */
    public static String businessKey(String campaign, LocalDate day, String patientId) {
        return "campaign:" + campaign + ":" + day + ":" + patientId;
    }

    private String schedule(Connection c, Campaign campaign, LocalDate day, String patientId, Instant due,
                            Instant now) throws SQLException {
        String key = businessKey(campaign.id(), day, patientId);
        String id = Ids.newId();
        if (!Messages.insert(c, new Messages.StoredMessage(id, key, patientId, null, MessagePurpose.RECALL.id(),
                campaign.template(), MessageStatus.SCHEDULED, null, null, null, List.of(), due, due, null, null, null,
                null, now))) {
            return Messages.byKey(c, key).map(Messages.StoredMessage::id).orElse(null);
        }
        Messages.channels(c, id, campaign.channels().stream().map(Channel::name).toList());
        Messages.step(c, id, now, "scheduled", "SCHEDULED", null, "campaign " + campaign.id() + " (version "
                + campaign.version() + ") for " + day + ", due at " + due);
        return id;
    }

    private Plan plan(Connection c, Campaign campaign, LocalDate day, Instant now) throws SQLException {
        Template template = templates.find(campaign.template(), settings.language(), settings.language())
                .orElseThrow(() -> new IllegalStateException("campaign " + campaign.id() + ": no template '"
                        + campaign.template() + "' in " + settings.language()));
        Set<Channel> channels = template.channels();
        Set<String> messaged = CampaignRuns.messagedSince(c, campaign.id(),
                day.minusDays(campaign.cadenceDays() - 1L));
        Instant start = day.atStartOfDay(settings.quietHours().zone()).toInstant();
        Instant due = campaign.window().next(now.isAfter(start) ? now : start, settings.quietHours().zone());
        List<Decision> out = new ArrayList<>();
        for (CampaignAudience.Candidate k : audience.select(c, campaign, day, now)) {
            if (k.excluded() != null) {
                out.add(new Decision(k.patientId(), CampaignRuns.EXCLUDED, k.excluded(), k.detail(), null, null));
                continue;
            }
            if (messaged.contains(k.patientId())) {
                out.add(new Decision(k.patientId(), CampaignRuns.EXCLUDED, CAMPAIGN_CADENCE, k.detail()
                        + "; messaged by this campaign in the last " + campaign.cadenceDays() + " days", null, null));
                continue;
            }
            Optional<MessagePolicy.Block> block = policy.preflight(k.patient(), MessagePurpose.RECALL, channels,
                    campaign.channels());
            if (block.isPresent()) {
                out.add(new Decision(k.patientId(), CampaignRuns.BLOCKED, block.get().step(), k.detail() + "; "
                        + block.get().reason(), null, null));
                continue;
            }
            Optional<MessagePolicy.Send> send = policy.firstRecipient(k.patient(), MessagePurpose.RECALL, channels,
                    campaign.channels());
            out.add(new Decision(k.patientId(), CampaignRuns.SCHEDULED, null, k.detail(),
                    send.map(MessagePolicy.Send::channel).orElse(null),
                    send.map(MessagePolicy.Send::recipient).orElse(null)));
        }
        return new Plan(campaign.id(), day, due, out);
    }

    /** The decisions an earlier run of the day recorded. */
    private static Plan recorded(Connection c, CampaignRuns.Run run) throws SQLException {
        List<Decision> out = new ArrayList<>();
        Instant due = null;
        for (CampaignRuns.Target t : CampaignRuns.targets(c, run.id())) {
            out.add(new Decision(t.patientId(), t.outcome(), t.reason(), t.detail(), null, null));
            if (due == null && t.messageId() != null) {
                due = Messages.byId(c, t.messageId()).map(Messages.StoredMessage::scheduledFor).orElse(null);
            }
        }
        return new Plan(run.campaign(), run.day(), due, out);
    }

    /** Counts of a plan for a summary line: scheduled, blocked by reason, excluded by reason. */
    public static Map<String, Object> summary(Plan p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scheduled", p.count(CampaignRuns.SCHEDULED));
        out.put("blocked", p.reasons(CampaignRuns.BLOCKED));
        out.put("excluded", p.reasons(CampaignRuns.EXCLUDED));
        return out;
    }
}
