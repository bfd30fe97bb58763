package dev.ponte.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who a campaign is for on a day, read from the canonical store as it stands: the patients its trigger selects,
 * each either kept or left out by the first audience filter that refuses it (in the order of
 * {@link Campaign.Audience}). Only ATTENDED appointments count as procedures and visits; days are the clinic's.
 * Reads only; thread safe.
 */
public final class CampaignAudience {

    /** Why a patient the trigger selected is left out (the audience filters). */
    public static final String MIN_AGE = "min-age";
    public static final String MAX_AGE = "max-age";
    public static final String NO_BIRTH_DATE = "no-birth-date";
    public static final String SEX = "sex";
    public static final String UNIT = "unit";
    public static final String PROCEDURES_EVER = "procedures-ever";
    public static final String FUTURE_APPOINTMENT = "future-appointment";

    private static final Set<String> AHEAD = Set.of("SCHEDULED", "CONFIRMED");

    /**
     * A patient the trigger selected.
     *
     * @param excluded why an audience filter leaves the patient out, or {@code null} when kept
     * @param detail   what selected (or left out) the patient, without personal data: dates, codes, ids
     */
    public record Candidate(String patientId, JsonNode patient, String excluded, String detail) {
    }

    private final ZoneId zone;

    /** @param zone the clinic's time zone ({@code ponte.messaging.zone}) */
    public CampaignAudience(ZoneId zone) {
        this.zone = zone;
    }

    /** One ATTENDED appointment, as the selection needs it. */
    private record Visit(LocalDate on, String procedure, String enrollment) {
    }

    /** The patients the campaign's trigger selects on {@code day}, by patient id. */
    public List<Candidate> select(Connection c, Campaign campaign, LocalDate day, Instant now) throws SQLException {
        Map<String, JsonNode> patients = read(c, "Patient");
        Map<String, List<Visit>> visits = new HashMap<>();
        Map<String, Integer> ahead = new HashMap<>();
        for (JsonNode a : read(c, "Appointment").values()) {
            String patient = text(a, "patientId");
            Instant start = instant(text(a, "start"));
            if (patient == null || start == null) {
                continue;
            }
            String status = text(a, "status");
            if ("ATTENDED".equals(status) && !start.isAfter(now)) {
                visits.computeIfAbsent(patient, k -> new ArrayList<>()).add(new Visit(start.atZone(zone)
                        .toLocalDate(), text(a, "procedureCode"), text(a, "enrollmentId")));
            } else if (AHEAD.contains(status) && start.isAfter(now)) {
                ahead.merge(patient, 1, Integer::sum);
            }
        }
        visits.values().forEach(v -> v.sort(Comparator.comparing(Visit::on)));
        Map<String, String> kinds = new HashMap<>();
        if (campaign.trigger() instanceof Campaign.DaysAfterProcedure t && t.kind() != null) {
            read(c, "Procedure").forEach((code, p) -> kinds.put(code, text(p, "kind")));
        }
        Map<String, List<JsonNode>> enrollments = new HashMap<>();
        if (campaign.trigger() instanceof Campaign.PackageEnded) {
            for (JsonNode e : read(c, "PackageEnrollment").values()) {
                String patient = text(e, "patientId");
                if (patient != null) {
                    enrollments.computeIfAbsent(patient, k -> new ArrayList<>()).add(e);
                }
            }
        }
        List<Candidate> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : patients.entrySet()) {
            String id = e.getKey();
            List<Visit> mine = visits.getOrDefault(id, List.of());
            Optional<String> selected;
            if (campaign.trigger() instanceof Campaign.DaysAfterProcedure t) {
                selected = after(mine.stream().filter(v -> t.procedure() != null ? t.procedure().equals(v.procedure())
                                : t.kind().name().equals(kinds.get(v.procedure()))).toList(), t.days(),
                        t.catchUpDays(), day, "last " + (t.procedure() != null ? t.procedure() : t.kind().name()));
            } else if (campaign.trigger() instanceof Campaign.NoVisit t) {
                selected = after(mine, t.days(), t.catchUpDays(), day, "last visit");
            } else if (campaign.trigger() instanceof Campaign.PackageEnded t) {
                selected = packageEnded(enrollments.getOrDefault(id, List.of()), mine, t, day);
            } else {
                selected = birthday(e.getValue(), day);
            }
            if (selected.isEmpty()) {
                continue;
            }
            String[] left = audience(campaign.audience(), e.getValue(), mine, ahead.getOrDefault(id, 0), day);
            out.add(new Candidate(id, e.getValue(), left == null ? null : left[0], left == null ? selected.get()
                    : selected.get() + "; " + left[1]));
        }
        return out;
    }

    /** Selected when the last visit plus {@code days} falls within the catch-up days up to {@code day}. */
    private static Optional<String> after(List<Visit> visits, int days, int catchUp, LocalDate day, String what) {
        if (visits.isEmpty()) {
            return Optional.empty();
        }
        LocalDate last = visits.get(visits.size() - 1).on();
        LocalDate due = last.plusDays(days);
        if (due.isAfter(day) || due.isBefore(day.minusDays(catchUp))) {
            return Optional.empty();
        }
        return Optional.of(what + " on " + last + ", " + days + " days before " + due);
    }

    private static Optional<String> packageEnded(List<JsonNode> enrollments, List<Visit> visits,
                                                 Campaign.PackageEnded t, LocalDate day) {
        for (JsonNode e : enrollments) {
            String id = text(e, "id");
            List<Visit> sessions = visits.stream().filter(v -> id != null && id.equals(v.enrollment())).toList();
            JsonNode total = e.path("sessionsTotal");
            JsonNode balance = e.path("sessionsBalance");
            JsonNode used = e.path("sessionsUsed");
            boolean ended = balance.canConvertToInt() ? balance.asInt() <= 0
                    : used.canConvertToInt() && total.canConvertToInt() ? used.asInt() >= total.asInt()
                    : total.canConvertToInt() && sessions.size() >= total.asInt();
            if (!ended || sessions.isEmpty()) {
                continue; // not ended, or ended without a session the hub saw: no end date
            }
            LocalDate last = sessions.get(sessions.size() - 1).on();
            LocalDate due = last.plusDays(t.days());
            if (!due.isAfter(day) && !due.isBefore(day.minusDays(t.catchUpDays()))) {
                return Optional.of("package enrollment " + id + " ended with its last session on " + last);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> birthday(JsonNode patient, LocalDate day) {
        LocalDate born = date(text(patient, "birthDate"));
        if (born == null) {
            return Optional.empty();
        }
        MonthDay md = MonthDay.from(born);
        if (md.equals(MonthDay.of(2, 29)) && !day.isLeapYear()) {
            md = MonthDay.of(2, 28);
        }
        return md.equals(MonthDay.from(day)) ? Optional.of("birthday on " + day) : Optional.empty();
    }

    /** The first filter that leaves the patient out, {reason, detail}, or {@code null}. */
    private static String[] audience(Campaign.Audience a, JsonNode patient, List<Visit> visits, int ahead,
                                     LocalDate day) {
        if (a.minAge() != null || a.maxAge() != null) {
            LocalDate born = date(text(patient, "birthDate"));
            if (born == null) {
                return new String[]{NO_BIRTH_DATE, "no birth date, the campaign has an age limit"};
            }
            int age = Period.between(born, day).getYears();
            if (a.minAge() != null && age < a.minAge()) {
                return new String[]{MIN_AGE, "age " + age + " under " + a.minAge()};
            }
            if (a.maxAge() != null && age > a.maxAge()) {
                return new String[]{MAX_AGE, "age " + age + " over " + a.maxAge()};
            }
        }
        if (!a.sexes().isEmpty() && a.sexes().stream().noneMatch(s -> s.name().equals(text(patient, "sex")))) {
            return new String[]{SEX, "sex not among " + a.sexes()};
        }
        if (!a.units().isEmpty() && !a.units().contains(text(patient, "unitId"))) {
            return new String[]{UNIT, "unit " + text(patient, "unitId") + " not among " + a.units()};
        }
        if (!a.proceduresEver().isEmpty() && visits.stream().noneMatch(v -> a.proceduresEver()
                .contains(v.procedure()))) {
            return new String[]{PROCEDURES_EVER, "never attended " + a.proceduresEver()};
        }
        if (a.excludeWithFutureAppointment() && ahead > 0) {
            return new String[]{FUTURE_APPOINTMENT, ahead + " appointment(s) ahead"};
        }
        return null;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static LocalDate date(String text) {
        try {
            return text == null ? null : LocalDate.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Map<String, JsonNode> read(Connection c, String entity) throws SQLException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : CanonicalStore.payloads(c, entity).entrySet()) {
            try {
                out.put(e.getKey(), Json.MAPPER.readTree(e.getValue()));
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(entity + " " + e.getKey() + " is stored as invalid JSON", ex);
            }
        }
        return out;
    }
}
