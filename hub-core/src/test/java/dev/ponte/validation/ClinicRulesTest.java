package dev.ponte.validation;

import dev.ponte.TestGlossary;
import dev.ponte.model.Appointment;
import dev.ponte.model.AppointmentStatus;
import dev.ponte.model.Channel;
import dev.ponte.model.Consent;
import dev.ponte.model.ConsentPurpose;
import dev.ponte.model.Message;
import dev.ponte.model.MessageStatus;
import dev.ponte.model.Patient;
import dev.ponte.model.Procedure;
import dev.ponte.model.ProcedureKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ClinicRulesTest {

    private static RecordValidator validator;
    private static final OffsetDateTime TEN = OffsetDateTime.parse("2026-03-29T10:00:00-03:00");

    @BeforeAll
    static void setUp() {
        validator = TestGlossary.validator();
    }

    @AfterAll
    static void tearDown() {
        validator.close();
    }

    private static Appointment appointment(OffsetDateTime end, AppointmentStatus status, BigDecimal price, String plan,
                                           String auth) {
        return new Appointment(null, "1020", "1", "Sala 1", "P003", TEN, end, status, price, plan, auth, null, null,
                null);
    }

    private static List<String> rules(Record r, ReferenceCatalog catalog) {
        return validator.validate(r, new Provenance(Map.of("end", "HORA_FIM", "price", "VALOR")), catalog).stream()
                .map(v -> v.rule() + "@" + v.path() + (v.sourceField() == null ? "" : "<" + v.sourceField()))
                .toList();
    }

    @Test
    void anAppointmentEndsAfterItStarts() {
        assertThat(rules(appointment(TEN.minusMinutes(30), AppointmentStatus.CONFIRMED, null, null, null),
                ReferenceCatalog.NONE)).containsExactly("end-before-start@Appointment.end<HORA_FIM");
        assertThat(rules(appointment(TEN.plusMinutes(30), AppointmentStatus.CONFIRMED, null, null, null),
                ReferenceCatalog.NONE)).isEmpty();
    }

    @Test
    void bookingFactsAreFlaggedForReviewNotRejectedAtImport() {
        // an attended private appointment without a price is booked: the booking checks flag it (price-undefined),
        // the import keeps it
        assertThat(rules(appointment(TEN.plusMinutes(30), AppointmentStatus.ATTENDED, null, null, null),
                ReferenceCatalog.NONE)).isEmpty();
        assertThat(rules(appointment(TEN.plusMinutes(30), AppointmentStatus.SCHEDULED, null, "unimed", null),
                ReferenceCatalog.NONE)).isEmpty();
    }

    @Test
    void referencesAreCheckedOnlyAgainstTypesTheCatalogHolds() {
        Appointment a = appointment(TEN.plusMinutes(30), AppointmentStatus.SCHEDULED, null, null, null);
        ReferenceSet holdsPatients = new ReferenceSet().hold(Patient.class);
        assertThat(rules(a, holdsPatients)).containsExactly("unknown-reference@Appointment.patientId");
        holdsPatients.add(Patient.class, "1020", new Patient(null, "Ana", null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null));
        assertThat(rules(a, holdsPatients)).isEmpty();
    }

    @Test
    void aMessageNeedsTheConsentOfItsChannelAndPurpose() {
        Patient ana = new Patient(null, "Ana", null, null, null, null, "+5511991214283", null, null, null, null, null,
                null, null, null, null, null, null, List.of(
                new Consent(null, null, Channel.WHATSAPP, ConsentPurpose.REMINDERS, true, null, null),
                new Consent(null, null, Channel.SMS, ConsentPurpose.REMINDERS, false, null, null)));
        ReferenceSet refs = new ReferenceSet().add(Patient.class, "p1", ana);
        Message whatsapp = message(Channel.WHATSAPP);
        assertThat(rules(whatsapp, refs)).isEmpty();
        assertThat(rules(message(Channel.SMS), refs)).containsExactly("message-needs-consent@Message.channel");
        assertThat(rules(message(Channel.EMAIL), refs)).containsExactly("message-needs-consent@Message.channel");
    }

    private static Message message(Channel channel) {
        return new Message(null, "p1", channel, ConsentPurpose.REMINDERS, "lembrete", "Olá", "+5511991214283",
                MessageStatus.QUEUED, null, null, null, "reminder:a1:24h", null);
    }

    @Test
    void catalogItemsCarryTheirFiscalCode() {
        Procedure product = new Procedure("R001", "Protetor", ProcedureKind.PRODUCT, new BigDecimal("89.90"), 0, null,
                null, true);
        assertThat(rules(product, ReferenceCatalog.NONE)).containsExactly("product-needs-ncm@Procedure.ncm");
        Procedure service = new Procedure("P001", "Limpeza", ProcedureKind.SERVICE, null, 60, null, null, true);
        assertThat(rules(service, ReferenceCatalog.NONE)).containsExactly("service-needs-lc116-item@Procedure.serviceItem");
    }

    @Test
    void sensitiveRejectedValuesAreMasked() {
        Patient p = new Patient(null, "Ana", null, "52998224726", LocalDate.of(2030, 1, 1), null, null, null, null, null,
                null, null, null, null, null, null, null, null, null);
        List<Violation> v = validator.validate(p, Provenance.NONE, ReferenceCatalog.NONE);
        assertThat(v).extracting(Violation::rule).containsExactly("date-in-future", "cpf-check-digit");
        assertThat(v).extracting(Violation::value).containsExactly("***01", "***26");
    }
}
