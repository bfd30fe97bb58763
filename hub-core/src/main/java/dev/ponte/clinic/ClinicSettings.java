package dev.ponte.clinic;

import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.Patient;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The settings of the clinic flows (booking checks, packages, billing), read once from the hub's properties, every
 * problem named by its key ({@link #problems()}; the hub does not start with one).
 *
 * @param requiredFields the Patient fields a chart must have ({@value #REQUIRED_FIELDS})
 * @param deductOn       the appointment statuses that take a package session ({@value #DEDUCT_ON})
 * @param releaseOn      the statuses that give it back ({@value #RELEASE_ON})
 * @param billing        whether attended appointments become charges ({@value #BILLING})
 * @param billingFrom    the first day the hub bills ({@value #BILLING_FROM}); null: the day of the first run, fixed
 *                       in the store then
 * @param dueDays        days from attendance to a charge's due date ({@value #DUE_DAYS})
 * @param zone           the clinic's time zone (appointment days, due dates)
 */
public record ClinicSettings(List<String> requiredFields, Set<AppointmentStatus> deductOn,
                             Set<AppointmentStatus> releaseOn, boolean billing, LocalDate billingFrom, int dueDays,
                             ZoneId zone, List<String> problems) {

    public static final String PREFIX = "ponte.flows.";
    public static final String REQUIRED_FIELDS = PREFIX + "booking.required-fields";
    public static final String DEDUCT_ON = PREFIX + "packages.deduct-on";
    public static final String RELEASE_ON = PREFIX + "packages.release-on";
    public static final String BILLING = PREFIX + "billing";
    public static final String BILLING_FROM = PREFIX + "billing.from";
    public static final String DUE_DAYS = PREFIX + "billing.due-days";
    /** The clinic's zone: the messaging core's, one setting for the whole hub. */
    public static final String ZONE = "ponte.messaging.zone";

    private static final Set<String> PATIENT_FIELDS = Arrays.stream(Patient.class.getRecordComponents())
            .map(java.lang.reflect.RecordComponent::getName).collect(Collectors.toUnmodifiableSet());

    public ClinicSettings {
        requiredFields = List.copyOf(requiredFields);
        deductOn = Set.copyOf(deductOn);
        releaseOn = Set.copyOf(releaseOn);
        problems = List.copyOf(problems);
    }

    /** The defaults (tests): charts need a name and a birth date, ATTENDED deducts, CANCELLED/RESCHEDULED release. */
    public static ClinicSettings defaults(ZoneId zone) {
        return from(Map.of(ZONE, zone.getId()));
    }

    /** Reads the settings; what is wrong is in {@link #problems()}, the rest keeps its default. */
    public static ClinicSettings from(Map<String, String> all) {
        List<String> problems = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        for (String f : list(all.getOrDefault(REQUIRED_FIELDS, "name,birthDate"))) {
            if (PATIENT_FIELDS.contains(f)) {
                fields.add(f);
            } else {
                problems.add(REQUIRED_FIELDS + ": '" + f + "' is not a field of Patient (one of " + PATIENT_FIELDS
                        .stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        }
        Set<AppointmentStatus> deduct = statuses(all, DEDUCT_ON, "ATTENDED", problems);
        Set<AppointmentStatus> release = statuses(all, RELEASE_ON, "CANCELLED,RESCHEDULED", problems);
        Set<AppointmentStatus> both = EnumSet.noneOf(AppointmentStatus.class);
        both.addAll(deduct);
        both.retainAll(release);
        if (!both.isEmpty()) {
            problems.add(DEDUCT_ON + " and " + RELEASE_ON + " both name " + both + ": a status either takes a session"
                    + " or gives it back");
        }
        String billingValue = all.getOrDefault(BILLING, "on").strip().toLowerCase(Locale.ROOT);
        if (!billingValue.equals("on") && !billingValue.equals("off")) {
            problems.add(BILLING + ": '" + billingValue + "' is not on or off");
        }
        LocalDate from = null;
        String fromValue = all.get(BILLING_FROM);
        if (fromValue != null && !fromValue.isBlank()) {
            try {
                from = LocalDate.parse(fromValue.strip());
            } catch (DateTimeParseException e) {
                problems.add(BILLING_FROM + ": '" + fromValue + "' is not a date yyyy-MM-dd (appointments before it"
                        + " are history, billed by the source system)");
            }
        }
        int dueDays = 0;
        String due = all.getOrDefault(DUE_DAYS, "0").strip();
        try {
            dueDays = Integer.parseInt(due);
            if (dueDays < 0 || dueDays > 365) {
                problems.add(DUE_DAYS + ": " + dueDays + " is not between 0 and 365");
            }
        } catch (NumberFormatException e) {
            problems.add(DUE_DAYS + ": '" + due + "' is not a number of days");
        }
        ZoneId zone = ZoneId.of("America/Sao_Paulo");
        try {
            zone = ZoneId.of(all.getOrDefault(ZONE, "America/Sao_Paulo").strip());
        } catch (java.time.DateTimeException e) {
            problems.add(ZONE + ": '" + all.get(ZONE) + "' is not a time zone (America/Sao_Paulo)");
        }
        return new ClinicSettings(fields, deduct, release, billingValue.equals("on"), from, Math.max(0, dueDays),
                zone, problems);
    }

    private static Set<AppointmentStatus> statuses(Map<String, String> all, String key, String fallback,
                                                   List<String> problems) {
        Set<AppointmentStatus> out = EnumSet.noneOf(AppointmentStatus.class);
        for (String s : list(all.getOrDefault(key, fallback))) {
            try {
                out.add(AppointmentStatus.valueOf(s.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.add(key + ": '" + s + "' is not an appointment status (one of "
                        + Arrays.toString(AppointmentStatus.values()) + ")");
            }
        }
        return out;
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }
}
