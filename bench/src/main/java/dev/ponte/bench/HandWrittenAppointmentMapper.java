package dev.ponte.bench;

import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * What a developer would write by hand instead of {@code mappings/legacy-clinic/agenda.yaml}: the same fields, the
 * same conversions, straight into the canonical record. The yardstick of the mapping-engine benchmark; the benchmark
 * checks at set-up that both give equal records for every input row.
 */
final class HandWrittenAppointmentMapper {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    private static final ZoneId ZONE = ZoneId.of("America/Sao_Paulo");
    private static final Map<String, AppointmentStatus> STATUS = Map.of("AG", AppointmentStatus.SCHEDULED,
            "CF", AppointmentStatus.CONFIRMED, "AT", AppointmentStatus.ATTENDED, "FA", AppointmentStatus.NO_SHOW,
            "CA", AppointmentStatus.CANCELLED, "RE", AppointmentStatus.RESCHEDULED);
    private static final Map<String, String> PLANS = Map.of("UNIMED", "unimed", "BRADESCO SAUDE", "bradesco-saude",
            "BRADESCO SAÚDE", "bradesco-saude", "AMIL", "amil", "SULAMERICA", "sulamerica", "SULAMÉRICA",
            "sulamerica");

    Appointment map(Map<String, String> row) {
        LocalDate date = LocalDate.parse(row.get("DATA").trim(), DATE);
        return new Appointment(null, text(row.get("COD_PACIENTE")), text(row.get("COD_PROFISSIONAL")),
                collapse(row.get("SALA")), upper(text(row.get("COD_PROCEDIMENTO"))),
                at(date, row.get("HORA_INI")), at(date, row.get("HORA_FIM")),
                STATUS.get(upper(text(row.get("SITUACAO")))), decimal(row.get("VALOR")), plan(row.get("CONVENIO")),
                text(row.get("SENHA_AUTORIZACAO")), text(row.get("COD_PACOTE_PACIENTE")), null,
                text(row.get("OBS")));
    }

    private static OffsetDateTime at(LocalDate date, String time) {
        return date.atTime(LocalTime.parse(time.trim(), TIME)).atZone(ZONE).toOffsetDateTime();
    }

    private static String text(String s) {
        if (s == null) {
            return null;
        }
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static String upper(String s) {
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    private static String collapse(String s) {
        String t = text(s);
        return t == null ? null : t.replaceAll("\\s+", " ");
    }

    private static BigDecimal decimal(String s) {
        String t = text(s);
        return t == null ? null : new BigDecimal(t.replace(".", "").replace(',', '.'));
    }

    private static String plan(String s) {
        String t = text(s);
        if (t == null || t.equalsIgnoreCase("PARTICULAR")) {
            return null;
        }
        String id = PLANS.get(t.toUpperCase(Locale.ROOT));
        if (id == null) {
            throw new IllegalArgumentException("unknown insurance plan");
        }
        return id;
    }
}
