package dev.ponte.messaging;

import dev.ponte.model.Channel;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messaging settings ({@code ponte.messaging.*} and {@code ponte.flows.reminders.*}), read once from the hub's
 * properties; {@link #problems()} names every wrong key.
 *
 * @param channels     the channel order, {@code ponte.messaging.channels} (default {@code whatsapp,sms,email})
 * @param connectors   the connector instance serving each channel ({@code ponte.messaging.connector.<channel>}; the
 *                     hub fills in the one instance of the channel's type when not set)
 * @param quietHours   {@code ponte.messaging.quiet-hours} ({@code 20:00-08:00}; empty for none),
 *                     {@code ponte.messaging.quiet-days} ({@code SUNDAY}), in {@code ponte.messaging.zone}
 *                     ({@code America/Sao_Paulo})
 * @param cadence      per purpose, {@code ponte.messaging.cadence.<purpose>=<count>/<period>} (default
 *                     {@code recall=2/7d})
 * @param language     the default template language, {@code ponte.messaging.language} ({@code pt-BR})
 * @param templates    the template folder, {@code ponte.messaging.templates}, or {@code null} for the shipped ones
 * @param keywords     per intent, the words and button payloads that mean it ({@code ponte.messaging.intents.<intent>})
 * @param leadTimes    {@code ponte.flows.reminders.lead-times} ({@code 48h,2h})
 * @param interval     how often the dispatcher looks for due messages, {@code ponte.messaging.dispatch-interval} (ms)
 * @param batch        how many due messages one look takes at most, {@code ponte.messaging.batch}
 * @param invitations  whether appointments are sent as calendar invitations by e-mail,
 *                     {@code ponte.messaging.invitations} ({@code true}; only when a connector serves EMAIL), and the
 *                     domain of their UIDs, {@code ponte.messaging.invitations.uid-domain} ({@code ponte.invalid})
 */
public record MessagingSettings(List<Channel> channels, Map<Channel, String> connectors, QuietHours quietHours,
                                Map<MessagePurpose, Cadence> cadence, String language, Path templates,
                                Map<String, Set<String>> keywords, List<Duration> leadTimes, Duration interval,
                                int batch, InvitationSettings invitations, List<String> problems) {

    /** Appointments as calendar invitations by e-mail: on or off, and the domain of their UIDs. */
    public record InvitationSettings(boolean enabled, String uidDomain) {
    }

    public static final String PREFIX = "ponte.messaging.";
    public static final String LEAD_TIMES = "ponte.flows.reminders.lead-times";

    /** At most {@code count} messages of a purpose per patient within {@code period}. */
    public record Cadence(int count, Duration period) {
        @Override
        public String toString() {
            return count + " per " + MessagingSettings.format(period);
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([smhd])");
    private static final Pattern QUIET = Pattern.compile("(\\d{1,2}:\\d{2})\\s*-\\s*(\\d{1,2}:\\d{2})");

    /** The defaults alone (tests, the connector kit). */
    public static MessagingSettings defaults() {
        return from(Map.of());
    }

    /** Reads the settings from the hub's properties; defaults for what is absent. */
    public static MessagingSettings from(Map<String, String> all) {
        List<String> problems = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (String c : list(value(all, PREFIX + "channels", "whatsapp,sms,email"))) {
            try {
                Channel ch = Channel.valueOf(c.toUpperCase(Locale.ROOT));
                if (!channels.contains(ch)) {
                    channels.add(ch);
                }
            } catch (IllegalArgumentException e) {
                problems.add(PREFIX + "channels: '" + c + "' is not a channel; use whatsapp, sms, email");
            }
        }
        Map<Channel, String> connectors = new EnumMap<>(Channel.class);
        for (Channel ch : Channel.values()) {
            String v = all.get(PREFIX + "connector." + ch.name().toLowerCase(Locale.ROOT));
            if (v != null && !v.isBlank()) {
                connectors.put(ch, v.strip());
            }
        }
        ZoneId zone = ZoneId.of("America/Sao_Paulo");
        try {
            zone = ZoneId.of(value(all, PREFIX + "zone", "America/Sao_Paulo"));
        } catch (RuntimeException e) {
            problems.add(PREFIX + "zone: '" + all.get(PREFIX + "zone") + "' is not a time zone such as "
                    + "America/Sao_Paulo");
        }
        LocalTime start = LocalTime.MIDNIGHT;
        LocalTime end = LocalTime.MIDNIGHT;
        String quiet = value(all, PREFIX + "quiet-hours", "20:00-08:00");
        if (!quiet.isBlank()) {
            Matcher m = QUIET.matcher(quiet.strip());
            try {
                if (!m.matches()) {
                    throw new IllegalArgumentException();
                }
                start = LocalTime.parse(pad(m.group(1)));
                end = LocalTime.parse(pad(m.group(2)));
            } catch (RuntimeException e) {
                problems.add(PREFIX + "quiet-hours: '" + quiet + "' must read like 20:00-08:00 (clinic time), or be "
                        + "empty for none");
            }
        }
        Set<DayOfWeek> days = new LinkedHashSet<>();
        for (String d : list(value(all, PREFIX + "quiet-days", "SUNDAY"))) {
            try {
                days.add(DayOfWeek.valueOf(d.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(PREFIX + "quiet-days: '" + d + "' is not a day such as SUNDAY");
            }
        }
        if (days.size() == 7) {
            problems.add(PREFIX + "quiet-days: every day is quiet, so no message could ever go out; leave at least one "
                    + "day out");
        }
        Map<MessagePurpose, Cadence> cadence = new EnumMap<>(MessagePurpose.class);
        cadence.put(MessagePurpose.RECALL, new Cadence(2, Duration.ofDays(7)));
        for (MessagePurpose p : MessagePurpose.values()) {
            String key = PREFIX + "cadence." + p.id();
            String v = all.get(key);
            if (v == null) {
                continue;
            }
            if (v.isBlank()) {
                cadence.remove(p);
                continue;
            }
            String[] parts = v.strip().split("/");
            try {
                int count = Integer.parseInt(parts[0].strip());
                if (count < 1 || parts.length != 2) {
                    throw new IllegalArgumentException("at least 1");
                }
                cadence.put(p, new Cadence(count, duration(parts[1])));
            } catch (RuntimeException e) {
                problems.add(key + ": '" + v + "' must read like 2/7d (at most 2 messages per 7 days), or be empty "
                        + "for no limit");
            }
        }
        for (String key : all.keySet()) {
            if (key.startsWith(PREFIX + "cadence.") && MessagePurpose.parse(key.substring((PREFIX + "cadence.")
                    .length())).isEmpty()) {
                problems.add(key + ": no such purpose; use one of " + Arrays.stream(MessagePurpose.values())
                        .map(MessagePurpose::id).toList());
            }
        }
        Map<String, Set<String>> keywords = new LinkedHashMap<>();
        keywords.put("confirm", words(value(all, PREFIX + "intents.confirm", "1,sim,s,confirmo,confirmar,confirmado,ok,CONFIRM")));
        keywords.put("cancel", words(value(all, PREFIX + "intents.cancel", "2,não,nao,cancelar,cancela,cancelo,CANCEL")));
        keywords.put("reschedule", words(value(all, PREFIX + "intents.reschedule", "3,remarcar,reagendar,RESCHEDULE")));
        Map<String, String> owner = new LinkedHashMap<>();
        keywords.forEach((intent, ws) -> ws.forEach(w -> {
            String other = owner.putIfAbsent(w, intent);
            if (other != null) {
                problems.add(PREFIX + "intents." + intent + ": '" + w + "' also means " + other + "; a reply word "
                        + "means one intent only");
            }
        }));
        List<Duration> leads = new ArrayList<>();
        for (String l : list(value(all, LEAD_TIMES, "48h,2h"))) {
            try {
                leads.add(duration(l));
            } catch (RuntimeException e) {
                problems.add(LEAD_TIMES + ": '" + l + "' is not a lead time such as 48h, 2h or 30m");
            }
        }
        String templates = all.get(PREFIX + "templates");
        String on = value(all, PREFIX + "invitations", "true").strip().toLowerCase(Locale.ROOT);
        if (!on.equals("true") && !on.equals("false")) {
            problems.add(PREFIX + "invitations: '" + on + "' must be true or false");
        }
        String domain = value(all, PREFIX + "invitations.uid-domain", "ponte.invalid").strip();
        if (!domain.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")) {
            problems.add(PREFIX + "invitations.uid-domain: '" + domain + "' is not a domain name such as "
                    + "clinica.com.br");
        }
        InvitationSettings invitations = new InvitationSettings(!on.equals("false"), domain);
        return new MessagingSettings(List.copyOf(channels), Map.copyOf(connectors), new QuietHours(start, end, days,
                zone), Map.copyOf(cadence), value(all, PREFIX + "language", "pt-BR"),
                templates == null || templates.isBlank() ? null : Path.of(templates.strip()), Map.copyOf(keywords),
                List.copyOf(leads), Duration.ofMillis(positive(all, PREFIX + "dispatch-interval", 1000, problems)),
                (int) positive(all, PREFIX + "batch", 200, problems), invitations, List.copyOf(problems));
    }

    /** With the connector instance of each channel that has none configured, found by the hub. */
    public MessagingSettings withConnectors(Map<Channel, String> found) {
        Map<Channel, String> merged = new EnumMap<>(Channel.class);
        merged.putAll(found);
        merged.putAll(connectors);
        return new MessagingSettings(channels, Map.copyOf(merged), quietHours, cadence, language, templates, keywords,
                leadTimes, interval, batch, invitations, problems);
    }

    /** A duration as written in the settings and in business keys: {@code 48h}, {@code 30m}, {@code 7d}. */
    public static String format(Duration d) {
        if (d.toDays() >= 7 && d.equals(Duration.ofDays(d.toDays()))) {
            return d.toDays() + "d";
        }
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() + "h";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }

    /** {@code 48h}, {@code 30m}, {@code 7d}, {@code 90s}. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("zero");
        }
        return d;
    }

    private static long positive(Map<String, String> all, String key, long def, List<String> problems) {
        String v = all.get(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 1 || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            problems.add(key + ": '" + v + "' must be a whole number of at least 1 (default " + def + ")");
            return def;
        }
    }

    private static Set<String> words(String v) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : list(v)) {
            out.add(Intents.normalize(w));
        }
        return Set.copyOf(out);
    }

    private static String pad(String hhmm) {
        return hhmm.length() == 4 ? "0" + hhmm : hhmm;
    }

    private static String value(Map<String, String> all, String key, String def) {
        String v = all.get(key);
        return v == null ? def : v;
    }

    private static List<String> list(String v) {
        return Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
