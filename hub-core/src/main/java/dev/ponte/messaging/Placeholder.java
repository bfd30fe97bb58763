package dev.ponte.messaging;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code {{Entity.field}}} or {@code {{Entity.field|filter}}} of a template: a glossary field of a record the
 * message is about, and how to show it.
 *
 * @param entity the canonical entity ({@link #ENTITIES})
 * @param field  the glossary field
 * @param filter {@code null}, or one of {@link #FILTERS}
 */
public record Placeholder(String entity, String field, String filter) {

    /** The records a message can show: the patient, for appointment messages the appointment and its refs, for a
     * receipt its Invoice. */
    public static final List<String> ENTITIES = List.of("Patient", "Appointment", "Procedure", "Professional", "Unit",
            "Invoice");

    /**
     * {@code first}: the first word (a first name); {@code date}: dd/MM/yyyy in the clinic's time zone; {@code time}:
     * HH:mm in the clinic's time zone; {@code weekday}: the day of the week in the template's language.
     */
    public static final List<String> FILTERS = List.of("first", "date", "time", "weekday");

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    /** The placeholder as written, e.g. {@code {{Appointment.start|time}}}. */
    @Override
    public String toString() {
        return "{{" + entity + "." + field + (filter == null ? "" : "|" + filter) + "}}";
    }

    /**
     * Its value for a message: the field of the record, filtered; empty when the record or the field is absent.
     *
     * @param records the records by entity name
     */
    public String render(Map<String, JsonNode> records, ZoneId zone, Locale locale) {
        JsonNode record = records.get(entity);
        JsonNode v = record == null ? null : record.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        String text = v.asText();
        if (filter == null) {
            return text;
        }
        return switch (filter) {
            case "first" -> text.strip().split("\\s+")[0];
            case "date" -> zoned(text, zone) != null ? DATE.format(zoned(text, zone)) : text;
            case "time" -> zoned(text, zone) != null ? TIME.format(zoned(text, zone)) : text;
            case "weekday" -> zoned(text, zone) != null ? zoned(text, zone).getDayOfWeek()
                    .getDisplayName(TextStyle.FULL, locale) : text;
            default -> text;
        };
    }

    private static ZonedDateTime zoned(String text, ZoneId zone) {
        try {
            return OffsetDateTime.parse(text).atZoneSameInstant(zone);
        } catch (RuntimeException notOffset) {
            try {
                return Instant.parse(text).atZone(zone);
            } catch (RuntimeException notInstant) {
                try {
                    return LocalDate.parse(text).atStartOfDay(zone);
                } catch (RuntimeException notDate) {
                    return null;
                }
            }
        }
    }
}
