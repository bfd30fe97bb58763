package dev.ponte.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.BillingMode;
import dev.ponte.model.Coverage;
import dev.ponte.model.PackageEnrollment;
import dev.ponte.model.Procedure;
import dev.ponte.model.ProcedureKind;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The booking checks of {@link ClinicRules#booking}: every rule, and what is not a finding. */
class BookingRulesTest {

    private static final OffsetDateTime TEN = OffsetDateTime.parse("2026-12-02T10:00:00-03:00");
    private static final JsonNode CHART = Json.MAPPER.createObjectNode().put("name", "Paciente Teste")
            .put("birthDate", "1990-01-01");
    private static final Procedure P003 = new Procedure("P003", "Toxina", ProcedureKind.SERVICE,
            new BigDecimal("1200.00"), 30, "04.03", null, true);
    private static final List<String> REQUIRED = List.of("name", "birthDate");

    private static Appointment appointment(AppointmentStatus status, BigDecimal price, String plan, String auth,
                                           String enrollment) {
        return new Appointment("a1", "1001", "1", null, "P003", TEN, TEN.plusMinutes(30), status, price, plan, auth,
                enrollment, null, null);
    }

    private static List<String> rules(Appointment a, JsonNode chart, Procedure p, PackageEnrollment e, Coverage c,
                                      List<String> required) {
        return ClinicRules.booking(a, new ClinicRules.BookingFacts(chart, p, e, c, required)).stream()
                .map(f -> f.rule() + "@" + f.field()).toList();
    }

    @Test
    void aPrivateAppointmentWithAPriceAndACompleteChartHasNothingToReview() {
        assertThat(rules(appointment(AppointmentStatus.SCHEDULED, new BigDecimal("300"), null, null, null), CHART,
                P003, null, null, REQUIRED)).isEmpty();
    }

    @Test
    void aMissingChartOrRequiredFieldIsARuleNotACrash() {
        Appointment a = appointment(AppointmentStatus.SCHEDULED, new BigDecimal("300"), null, null, null);
        assertThat(rules(a, null, P003, null, null, REQUIRED)).containsExactly("chart-missing@Appointment.patientId");
        assertThat(rules(a, CHART, P003, null, null, List.of("name", "cpf", "mobilePhone")))
                .containsExactly("chart-field-missing@Patient.cpf", "chart-field-missing@Patient.mobilePhone");
        JsonNode blank = Json.MAPPER.createObjectNode().put("name", "  ").put("birthDate", "1990-01-01");
        assertThat(rules(a, blank, P003, null, null, REQUIRED)).containsExactly("chart-field-missing@Patient.name");
    }

    @Test
    void thePriceComesFromTheAppointmentThePackageOrTheCoverage() {
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, null, null, null), CHART, P003, null, null,
                REQUIRED)).containsExactly("price-undefined@Appointment.price");
        PackageEnrollment upfront = enrollment(BillingMode.UPFRONT);
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, null, null, "e1"), CHART, P003, upfront, null,
                REQUIRED)).isEmpty();
        PackageEnrollment perSession = enrollment(BillingMode.PER_SESSION);
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, null, null, "e1"), CHART, P003, perSession,
                null, REQUIRED)).isEmpty();
        Procedure noPrice = new Procedure("P003", "Toxina", ProcedureKind.SERVICE, null, 30, "04.03", null, true);
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, null, null, "e1"), CHART, noPrice, perSession,
                null, REQUIRED)).containsExactly("price-undefined@Procedure.price");
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, "unimed", "S1", null), CHART, P003, null,
                coverage(true, new BigDecimal("800"), true), REQUIRED)).isEmpty();
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, "unimed", "S1", null), CHART, P003, null,
                coverage(true, null, false), REQUIRED)).containsExactly("price-undefined@Coverage.allowedAmount");
    }

    @Test
    void insuranceNeedsACoveredProcedureAndItsAuthorization() {
        Appointment noAuth = appointment(AppointmentStatus.SCHEDULED, null, "unimed", null, null);
        assertThat(rules(noAuth, CHART, P003, null, null, REQUIRED))
                .containsExactly("insurance-coverage-unknown@Appointment.procedureCode");
        assertThat(rules(noAuth, CHART, P003, null, coverage(false, new BigDecimal("800"), false), REQUIRED))
                .containsExactly("insurance-not-covered@Appointment.procedureCode");
        assertThat(rules(noAuth, CHART, P003, null, coverage(true, new BigDecimal("800"), true), REQUIRED))
                .containsExactly("insurance-needs-authorization@Appointment.authorizationCode");
        assertThat(rules(noAuth, CHART, P003, null, coverage(true, new BigDecimal("800"), false), REQUIRED))
                .isEmpty();
    }

    @Test
    void anEnrollmentTheHubDoesNotHoldIsFlagged() {
        assertThat(rules(appointment(AppointmentStatus.ATTENDED, null, null, null, "e404"), CHART, P003, null, null,
                REQUIRED)).containsExactly("package-enrollment-unknown@Appointment.enrollmentId");
    }

    @Test
    void aCancelledAppointmentHasNothingToCheck() {
        assertThat(rules(appointment(AppointmentStatus.CANCELLED, null, "unimed", null, null), null, null, null,
                null, REQUIRED)).isEmpty();
    }

    @Test
    void messagesNameTheRecordInBothLanguages() {
        ClinicRules.BookingFinding f = ClinicRules.booking(appointment(AppointmentStatus.SCHEDULED, null, "unimed",
                null, null), new ClinicRules.BookingFacts(CHART, P003, null, coverage(false, BigDecimal.TEN, false),
                REQUIRED)).get(0);
        assertThat(f.message(Messages.EN)).contains("unimed").contains("P003").doesNotContain("{");
        assertThat(f.message(Messages.PT_BR)).contains("não cobre").contains("P003").doesNotContain("{");
    }

    private static PackageEnrollment enrollment(BillingMode mode) {
        return new PackageEnrollment("e1", "1001", null, "Pacote", "P003", 4, 0, 4, LocalDate.parse("2026-11-01"),
                false, mode, mode == BillingMode.UPFRONT ? new BigDecimal("4000") : null, null);
    }

    private static Coverage coverage(boolean covered, BigDecimal allowed, boolean auth) {
        return new Coverage("c1", "unimed", "P003", covered, allowed, null, null, auth);
    }
}
