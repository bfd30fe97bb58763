package dev.ponte.hub;

import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Ids;
import dev.ponte.store.ImportRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Business alerts declared in configuration ({@code ponte.alerts.<name>.kind=...}, README "Metrics and alerts"): each
 * is evaluated on the hub's clock; when one starts to hold, {@code /health} turns DEGRADED naming it and an
 * {@code alert.raised} event goes to {@code ponte.events}; when it stops holding, {@code alert.cleared}. Kinds:
 * <ul>
 *   <li>{@code no-sync}: no import run of source system {@code source} started for {@code for} (default 2h), looked at
 *   during {@code hours} (default 00:00-24:00) on {@code days} (default every day) in {@code ponte.messaging.zone};</li>
 *   <li>{@code dead-letters}: more than {@code more-than} (default 10) dead letters opened or failing again within
 *   {@code within} (default 1h);</li>
 *   <li>{@code reminder-failures}: of today's reminders (in the clinic's zone) that were due, more than {@code above}
 *   percent (default 10) FAILED, once at least {@code min-messages} (default 10) were due;</li>
 *   <li>{@code certificate-expiry}: the certificate of a connector instance that has one ({@code certificate}, a
 *   PKCS#12 file) expires within {@code within-days} (default 30), has expired, or cannot be read.</li>
 * </ul>
 */
final class BusinessAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(BusinessAlerts.class);
    static final String PREFIX = "ponte.alerts.";
    static final String SOURCE = "ponte://hub/alerts";
    /** How often the alerts are evaluated, in milliseconds. */
    static final String CHECK_INTERVAL = "ponte.alerts.check-interval";
    static final Set<String> KINDS = Set.of("no-sync", "dead-letters", "reminder-failures", "certificate-expiry");

    /** One declared alert. */
    record Rule(String name, String kind, Map<String, String> options) {
    }

    private final List<Rule> rules;
    private final ZoneId zone;
    private final String clinic;
    private final Map<String, String> active = new ConcurrentHashMap<>();
    private volatile java.util.function.Supplier<Map<String, CertificateExpiries.Expiry>> certificates = Map::of;

    private BusinessAlerts(List<Rule> rules, ZoneId zone, String clinic) {
        this.rules = rules;
        this.zone = zone;
        this.clinic = clinic;
    }

    private volatile AlertMail mail;

    /** Alerts also by e-mail, or {@code null} for none. */
    void mail(AlertMail mail) {
        this.mail = mail;
    }

    /** Where the certificate-expiry alert reads the instances' certificates (the hub's configured instances). */
    void certificates(java.util.function.Supplier<Map<String, CertificateExpiries.Expiry>> source) {
        this.certificates = source;
    }

    /** The alerts of the settings; every problem (naming its key) into {@code problems}. */
    static BusinessAlerts of(HubSettings s, List<String> problems) {
        Map<String, Map<String, String>> byName = new TreeMap<>();
        s.all().forEach((k, v) -> {
            if (k.startsWith(PREFIX) && !k.equals(CHECK_INTERVAL) && !k.startsWith(PREFIX + "email.")) {
                String rest = k.substring(PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    byName.computeIfAbsent(rest.substring(0, dot), n -> new LinkedHashMap<>())
                            .put(rest.substring(dot + 1), v);
                } else {
                    problems.add(k + ": expected " + PREFIX + "<name>.kind and its options");
                }
            }
        });
        List<Rule> rules = new ArrayList<>();
        byName.forEach((name, o) -> {
            String kind = o.get("kind");
            if (kind == null || !KINDS.contains(kind)) {
                problems.add(PREFIX + name + ".kind: '" + kind + "' is not one of " + KINDS.stream().sorted()
                        .toList());
                return;
            }
            Rule r = new Rule(name, kind, o);
            int before = problems.size();
            check(r, problems);
            if (problems.size() == before) {
                rules.add(r);
            }
        });
        String zone = s.get("ponte.messaging.zone");
        return new BusinessAlerts(rules, ZoneId.of(zone == null ? "America/Sao_Paulo" : zone), s.clinic());
    }

    private static void check(Rule r, List<String> problems) {
        String key = PREFIX + r.name() + ".";
        try {
            switch (r.kind()) {
                case "no-sync" -> {
                    if (r.options().get("source") == null || r.options().get("source").isBlank()) {
                        problems.add(key + "source: required (a source system, e.g. legacy-clinic)");
                    }
                    duration(r, "for", "2h");
                    hours(r);
                    days(r);
                }
                case "dead-letters" -> {
                    number(r, "more-than", "10");
                    duration(r, "within", "1h");
                }
                case "reminder-failures" -> {
                    number(r, "above", "10");
                    number(r, "min-messages", "10");
                }
                case "certificate-expiry" -> number(r, "within-days", "30");
                default -> throw new IllegalStateException(r.kind());
            }
        } catch (IllegalArgumentException e) {
            problems.add(key + e.getMessage());
        }
    }

    boolean any() {
        return !rules.isEmpty();
    }

    /** The alerts holding now, by name, with why; what {@code /health} shows. */
    Map<String, String> active() {
        return Map.copyOf(active);
    }

    /** Evaluates every alert; raises and clears them, each change an event in the same transaction. */
    void evaluate(Database db, Clock clock) {
        Instant now = clock.instant();
        List<String[]> mailLater = new ArrayList<>();
        Map<String, String> next = new java.util.HashMap<>();
        db.inTransaction(c -> {
            mailLater.clear(); // a transaction tried again decides again
            next.clear();
            for (Rule r : rules) {
                Optional<String> holds = holds(c, r, now);
                String was = active.get(r.name());
                holds.ifPresent(why -> next.put(r.name(), why));
                if (holds.isPresent() && was == null) {
                    event(c, "alert.raised", r, holds.get(), now);
                    mailLater.add(new String[]{"[Ponte] " + clinic + ": alert " + r.name() + " raised",
                            "Alert " + r.name() + " (" + r.kind() + ") holds since " + now + ":\n" + holds.get()
                                    + "\n\n/health shows it; it clears by itself when it no longer holds."});
                } else if (holds.isEmpty() && was != null) {
                    event(c, "alert.cleared", r, "no longer: " + was, now);
                    mailLater.add(new String[]{"[Ponte] " + clinic + ": alert " + r.name() + " cleared",
                            "Alert " + r.name() + " (" + r.kind() + ") no longer holds (" + now + ")."});
                }
            }
            return null;
        });
        // what holds changes only once its events are committed: a transaction that failed decides again next time
        for (Rule r : rules) {
            String was = active.get(r.name());
            String now2 = next.get(r.name());
            if (now2 != null && was == null) {
                LOG.warn("alert raised: {} ({}): {}", r.name(), r.kind(), now2);
            } else if (now2 == null && was != null) {
                LOG.info("alert cleared: {} ({})", r.name(), r.kind());
            }
        }
        active.keySet().retainAll(next.keySet());
        active.putAll(next);
        // after the commit: an e-mail never waits on (or holds) the store's transaction
        AlertMail m = mail;
        if (m != null) {
            mailLater.forEach(x -> m.send(x[0], x[1]));
        }
    }

    private Optional<String> holds(Connection c, Rule r, Instant now) throws SQLException {
        switch (r.kind()) {
            case "no-sync" -> {
                ZonedDateTime local = now.atZone(zone);
                LocalTime[] hours = hours(r);
                LocalTime t = local.toLocalTime();
                boolean inHours = hours[1] == null ? !t.isBefore(hours[0])
                        : hours[1].isAfter(hours[0]) ? !t.isBefore(hours[0]) && t.isBefore(hours[1])
                        : !t.isBefore(hours[0]) || t.isBefore(hours[1]); // a span over midnight, 22:00-06:00
                if (!inHours || !days(r).contains(local.getDayOfWeek())) {
                    return Optional.empty();
                }
                Duration limit = duration(r, "for", "2h");
                String source = r.options().get("source");
                Instant last = ImportRuns.lastImportBySystem(c).get(source);
                if (last == null) {
                    return Optional.of("no import of " + source + " ever");
                }
                Duration since = Duration.between(last, now);
                return since.compareTo(limit) > 0 ? Optional.of("no import of " + source + " for " + human(since)
                        + " (last at " + last + "; limit " + human(limit) + ")") : Optional.empty();
            }
            case "dead-letters" -> {
                long limit = number(r, "more-than", "10");
                Duration within = duration(r, "within", "1h");
                long n;
                try (PreparedStatement ps = c.prepareStatement("select count(*) from dead_letter where status = 'OPEN'"
                        + " and last_failure >= ?")) {
                    ps.setTimestamp(1, Timestamp.from(now.minus(within)));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        n = rs.getLong(1);
                    }
                }
                return n > limit ? Optional.of(n + " dead letters within " + human(within) + " (limit " + limit + ")")
                        : Optional.empty();
            }
            case "reminder-failures" -> {
                long above = number(r, "above", "10");
                long min = number(r, "min-messages", "10");
                Instant dayStart = now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant();
                long due = 0;
                long failed = 0;
                try (PreparedStatement ps = c.prepareStatement("select status, count(*) from message where purpose = "
                        + "'reminder' and due_at >= ? and due_at <= ? group by status")) {
                    ps.setTimestamp(1, Timestamp.from(dayStart));
                    ps.setTimestamp(2, Timestamp.from(now));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            due += rs.getLong(2);
                            if ("FAILED".equals(rs.getString(1))) {
                                failed += rs.getLong(2);
                            }
                        }
                    }
                }
                return due >= min && failed * 100 > above * due ? Optional.of(failed + " of " + due + " reminders due"
                        + " today failed (" + (failed * 100 / due) + " %; limit " + above + " %)") : Optional.empty();
            }
            case "certificate-expiry" -> {
                long days = number(r, "within-days", "30");
                List<String> why = new ArrayList<>();
                for (CertificateExpiries.Expiry e : certificates.get().values()) {
                    if (e.problem() != null) {
                        why.add(e.instance() + ": " + e.problem());
                    } else if (!e.notAfter().isAfter(now)) {
                        why.add(e.instance() + ": certificate expired on " + e.notAfter().atZone(zone).toLocalDate());
                    } else if (e.notAfter().isBefore(now.plus(Duration.ofDays(days)))) {
                        why.add(e.instance() + ": certificate expires on " + e.notAfter().atZone(zone).toLocalDate()
                                + " (in " + Duration.between(now, e.notAfter()).toDays() + " days; limit " + days
                                + ")");
                    }
                }
                return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
            }
            default -> throw new IllegalStateException(r.kind());
        }
    }

    private void event(Connection c, String type, Rule r, String why, Instant now) throws SQLException {
        String data = Json.MAPPER.createObjectNode().put("alert", r.name()).put("kind", r.kind()).put("reason", why)
                .toString();
        EventOutbox.append(c, new CanonicalEvent(Ids.newId(), SOURCE, type, r.name(), now, clinic, null, null, null,
                data), type + ":" + r.name() + ":" + now.toEpochMilli());
    }

    // --- options

    private static Duration duration(Rule r, String option, String dflt) {
        String v = r.options().getOrDefault(option, dflt).strip().toLowerCase(Locale.ROOT);
        try {
            long n = Long.parseLong(v.substring(0, v.length() - 1));
            Duration d = switch (v.charAt(v.length() - 1)) {
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new NumberFormatException();
            };
            if (d.isNegative() || d.isZero()) {
                throw new NumberFormatException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a duration such as 30m, 2h or 1d");
        }
    }

    private static long number(Rule r, String option, String dflt) {
        String v = r.options().getOrDefault(option, dflt).strip();
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + ": '" + v + "' is not a whole number (0 or more)");
        }
    }

    /** From and to (null: until midnight). */
    private static LocalTime[] hours(Rule r) {
        String v = r.options().getOrDefault("hours", "00:00-24:00").strip();
        String[] p = v.split("-");
        try {
            return new LocalTime[]{LocalTime.parse(p[0]), p[1].equals("24:00") ? null : LocalTime.parse(p[1])};
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("hours: '" + v + "' is not a span such as 08:00-20:00");
        }
    }

    private static Set<DayOfWeek> days(Rule r) {
        String v = r.options().get("days");
        if (v == null || v.isBlank()) {
            return EnumSet.allOf(DayOfWeek.class);
        }
        Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        try {
            for (String d : v.split(",")) {
                out.add(DayOfWeek.valueOf(d.strip().toUpperCase(Locale.ROOT)));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("days: '" + v + "' is not a list such as MONDAY,TUESDAY,SATURDAY");
        }
        return out;
    }

    private static String human(Duration d) {
        long m = d.toMinutes();
        return m < 120 ? m + " min" : (m / 60) + " h " + (m % 60) + " min";
    }
}
