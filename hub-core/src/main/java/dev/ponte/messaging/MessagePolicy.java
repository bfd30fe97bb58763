package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.model.Channel;
import dev.ponte.store.Messages;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The checks before every send, in this order, each outcome recorded as a step of the message:
 * <ol>
 *   <li><b>consent</b> for the message's purpose on a channel: the patient's latest consent per channel
 *       ({@code Patient.consents}); none granted on any channel with a connector: BLOCKED;</li>
 *   <li><b>quiet hours</b> in the clinic's time zone: inside them the message is deferred to the next allowed
 *       time, never dropped;</li>
 *   <li><b>cadence</b> per patient and purpose: over the limit, deferred until the oldest message of the window
 *       leaves it;</li>
 *   <li><b>recipient</b> valid for the channel (E.164 mobile for WhatsApp and SMS, an address for e-mail): when not,
 *       the next consented channel is tried; none valid: BLOCKED.</li>
 * </ol>
 * Channels are tried in {@code ponte.messaging.channels} order, only those the message's template is for, skipping
 * those already tried for this message.
 */
public final class MessagePolicy {

    static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final MessagingSettings settings;

    public MessagePolicy(MessagingSettings settings) {
        this.settings = settings;
    }

    /** What to do with a due message now. */
    public sealed interface Decision permits Send, Defer, Block, Exhausted {
    }

    /** Send on this channel, through this connector instance, to this recipient. */
    public record Send(Channel channel, String connector, String recipient) implements Decision {
    }

    /** Not now: look again at {@code until}. */
    public record Defer(Instant until, String step, String reason) implements Decision {
    }

    /** Never: a policy refuses it. */
    public record Block(String step, String reason) implements Decision {
    }

    /** Every consented channel was tried and failed. */
    public record Exhausted(String reason) implements Decision {
    }

    /** Decides on any channel, recording each check's outcome. */
    public Decision decide(Connection c, Messages.StoredMessage m, JsonNode patient, Instant now)
            throws SQLException {
        return decide(c, m, patient, java.util.EnumSet.allOf(Channel.class), now);
    }

    /**
     * Decides, recording each check's outcome.
     *
     * @param patient  the patient's canonical record, or {@code null} when the hub does not hold it
     * @param channels the channels the message's template is for
     */
    public Decision decide(Connection c, Messages.StoredMessage m, JsonNode patient, java.util.Set<Channel> channels,
                           Instant now) throws SQLException {
        return decide(c, m, patient, channels, null, now);
    }

    /**
     * Decides, recording each check's outcome, trying channels in the message's own order.
     *
     * @param order the message's own channel order (a retention campaign's), or {@code null} for
     *              {@code ponte.messaging.channels}; only channels of {@code ponte.messaging.channels} are tried
     */
    public Decision decide(Connection c, Messages.StoredMessage m, JsonNode patient, java.util.Set<Channel> channels,
                           List<Channel> order, Instant now) throws SQLException {
        MessagePurpose purpose = MessagePurpose.parse(m.purpose()).orElse(MessagePurpose.FREE);
        if (patient == null) {
            return block(c, m, now, "consent", "the hub holds no patient " + m.patientId());
        }
        Consented found = consented(patient, purpose, channels, order);
        List<Channel> consented = found.channels();
        if (consented.isEmpty()) {
            return block(c, m, now, "consent", found.reason());
        }
        List<Channel> left = consented.stream().filter(ch -> !m.tried().contains(ch.name())).toList();
        if (left.isEmpty()) {
            return new Exhausted("every consented channel failed: " + consented);
        }
        step(c, m, now, "consent", "PASS", null, purpose.consent() + " on " + consented);
        QuietHours quiet = settings.quietHours();
        if (quiet.isQuiet(now)) {
            Instant until = quiet.nextAllowed(now);
            step(c, m, now, "quiet-hours", "DEFERRED", null, "quiet hours " + quiet + "; deferred to " + until);
            return new Defer(until, "quiet-hours", "deferred by the quiet hours " + quiet + " to " + until);
        }
        MessagingSettings.Cadence cadence = settings.cadence().get(purpose);
        if (cadence != null) {
            List<Instant> sent = Messages.sentSince(c, m.patientId(), m.purpose(), now.minus(cadence.period()));
            if (sent.size() >= cadence.count()) {
                Instant until = sent.get(sent.size() - cadence.count()).plus(cadence.period());
                step(c, m, now, "cadence", "DEFERRED", null, "at most " + cadence + " for " + purpose.id()
                        + "; deferred to " + until);
                return new Defer(until, "cadence", "deferred by the cadence limit (" + cadence + ") to " + until);
            }
        }
        List<String> invalid = new ArrayList<>();
        for (Channel ch : left) {
            String recipient = recipient(patient, ch);
            if (recipient != null) {
                step(c, m, now, "recipient", "PASS", ch.name(), null);
                return new Send(ch, settings.connectors().get(ch), recipient);
            }
            invalid.add(ch + ": " + (ch == Channel.EMAIL ? "Patient.email is not an e-mail address"
                    : "Patient.mobilePhone is not E.164 (+55 DDD number)"));
            step(c, m, now, "recipient", "INVALID", ch.name(), invalid.get(invalid.size() - 1));
        }
        return block(c, m, now, "recipient", "no valid recipient: " + String.join("; ", invalid));
    }

    /** The channels, in order, a patient consents to for a purpose and a connector serves; else why there are none. */
    private record Consented(List<Channel> channels, String reason) {
    }

    private Consented consented(JsonNode patient, MessagePurpose purpose, java.util.Set<Channel> channels,
                                List<Channel> order) {
        List<Channel> ordered = order == null ? settings.channels()
                : order.stream().filter(settings.channels()::contains).toList();
        Map<Channel, Boolean> consents = consents(patient, purpose);
        List<Channel> consented = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Channel ch : ordered) {
            if (!channels.contains(ch)) {
                continue;
            }
            if (!Boolean.TRUE.equals(consents.get(ch))) {
                continue;
            }
            if (!settings.connectors().containsKey(ch)) {
                notes.add(ch + " consented but no connector serves it");
                continue;
            }
            consented.add(ch);
        }
        if (!consented.isEmpty()) {
            return new Consented(List.copyOf(consented), null);
        }
        return new Consented(List.of(), "no consent for " + purpose.consent() + " on " + ordered.stream()
                .filter(channels::contains).toList()
                + (consents.containsValue(Boolean.FALSE) ? " (revoked or refused on " + consents.entrySet()
                .stream().filter(e -> !e.getValue()).map(Map.Entry::getKey).toList() + ")" : "")
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
    }

    /**
     * What {@link #decide} would block a new message for, recording nothing: no consent for the purpose on any of
     * the channels a connector serves ({@code consent}), or no valid recipient on any consented one
     * ({@code recipient}). Quiet hours and cadence defer, they never block, so they are not looked at here; the
     * message is checked in full again when it is due. Used to tell an admin in advance (a campaign's preview and
     * run).
     *
     * @param order the channel order (a campaign's), or {@code null} for {@code ponte.messaging.channels}
     */
    public java.util.Optional<Block> preflight(JsonNode patient, MessagePurpose purpose,
                                               java.util.Set<Channel> channels, List<Channel> order) {
        if (patient == null) {
            return java.util.Optional.of(new Block("consent", "the hub holds no such patient"));
        }
        Consented found = consented(patient, purpose, channels, order);
        if (found.channels().isEmpty()) {
            return java.util.Optional.of(new Block("consent", found.reason()));
        }
        List<String> invalid = new ArrayList<>();
        for (Channel ch : found.channels()) {
            if (recipient(patient, ch) != null) {
                return java.util.Optional.empty();
            }
            invalid.add(ch + ": " + (ch == Channel.EMAIL ? "Patient.email is not an e-mail address"
                    : "Patient.mobilePhone is not E.164 (+55 DDD number)"));
        }
        return java.util.Optional.of(new Block("recipient", "no valid recipient: " + String.join("; ", invalid)));
    }

    /** The address {@link #decide} would send to on the first consented channel with a valid one, if any. */
    public java.util.Optional<Send> firstRecipient(JsonNode patient, MessagePurpose purpose,
                                                   java.util.Set<Channel> channels, List<Channel> order) {
        if (patient == null) {
            return java.util.Optional.empty();
        }
        for (Channel ch : consented(patient, purpose, channels, order).channels()) {
            String r = recipient(patient, ch);
            if (r != null) {
                return java.util.Optional.of(new Send(ch, settings.connectors().get(ch), r));
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * Whether the patient still consents to a purpose on some channel a connector serves (a revoked consent cancels
     * pending messages).
     */
    public boolean anyConsent(JsonNode patient, MessagePurpose purpose) {
        Map<Channel, Boolean> consents = consents(patient, purpose);
        return settings.channels().stream().anyMatch(ch -> Boolean.TRUE.equals(consents.get(ch))
                && settings.connectors().containsKey(ch));
    }

    /**
     * The latest consent per channel for a purpose: granted or not; absent when never recorded. Latest by
     * {@code recordedAt}; an undated consent counts as older than every dated one, and between two of the same time
     * (or both undated) a refusal wins: when in doubt, the patient is not messaged.
     */
    static Map<Channel, Boolean> consents(JsonNode patient, MessagePurpose purpose) {
        Map<Channel, Boolean> out = new EnumMap<>(Channel.class);
        Map<Channel, Instant> at = new EnumMap<>(Channel.class);
        for (JsonNode consent : patient.path("consents")) {
            if (!purpose.consent().name().equals(consent.path("purpose").asText())) {
                continue;
            }
            Channel ch;
            try {
                ch = Channel.valueOf(consent.path("channel").asText());
            } catch (IllegalArgumentException e) {
                continue;
            }
            Instant when = instant(consent.path("recordedAt").asText(""));
            boolean granted = consent.path("granted").asBoolean(false);
            Instant before = at.get(ch);
            if (before == null || when.isAfter(before) || (when.equals(before) && !granted)) {
                at.put(ch, when);
                out.put(ch, granted);
            }
        }
        return out;
    }

    private static Instant instant(String text) {
        if (text.isEmpty()) {
            return Instant.MIN;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException notInstant) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (RuntimeException notOffset) {
                return Instant.MIN;
            }
        }
    }

    /** The patient's address on a channel, or {@code null} when it has none valid. */
    static String recipient(JsonNode patient, Channel channel) {
        if (channel == Channel.EMAIL) {
            String email = patient.path("email").asText("");
            return EMAIL.matcher(email).matches() ? email : null;
        }
        String phone = patient.path("mobilePhone").asText("");
        return E164.matcher(phone).matches() ? phone : null;
    }

    private static Block block(Connection c, Messages.StoredMessage m, Instant now, String step, String reason)
            throws SQLException {
        step(c, m, now, step, "BLOCKED", null, reason);
        return new Block(step, reason);
    }

    private static void step(Connection c, Messages.StoredMessage m, Instant now, String step, String outcome,
                             String channel, String reason) throws SQLException {
        Messages.step(c, m.id(), now, step, outcome, channel, reason);
    }
}
