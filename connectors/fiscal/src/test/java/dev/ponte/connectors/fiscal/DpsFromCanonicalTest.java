package dev.ponte.connectors.fiscal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DpsFromCanonicalTest {

    static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");

    static ClinicSettings settings(String defaultServiceItem) {
        return new ClinicSettings("11222333000181", "12345678", "3550308", Dps.SimplesNacional.ME_EPP,
                Dps.SimplesApportionment.ALL_IN_SN, Dps.SpecialRegime.NONE, "1", Dps.Environment.HOMOLOGATION, null,
                null, null, null, defaultServiceItem, null);
    }

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode charge() {
        return json("""
                {"id": "C-900", "patientId": "123", "appointmentId": "A-7", "dueDate": "2026-12-01",
                 "amount": 350.00, "status": "PAID", "payer": "PATIENT", "description": "Limpeza de pele"}""");
    }

    static ObjectNode patient() {
        return json("""
                {"id": "123", "name": "  Maria   da Conceição  ", "cpf": "123.456.789-09",
                 "mobilePhone": "+5511987654321", "email": "maria@example.com",
                 "address": {"street": "Rua Augusta", "number": "1500", "district": "Consolação",
                             "city": "São Paulo", "state": "SP", "postalCode": "01304-001",
                             "municipalityCode": "3550308"}}""");
    }

    static ObjectNode procedure() {
        return json("""
                {"code": "LIMP", "name": "Limpeza de pele profunda", "kind": "SERVICE", "price": 350.00,
                 "serviceItem": "06.02"}""");
    }

    static Dps built(DpsFromCanonical.Result r) {
        assertThat(r).isInstanceOf(DpsFromCanonical.Result.Built.class);
        return ((DpsFromCanonical.Result.Built) r).dps();
    }

    static List<String> problems(DpsFromCanonical.Result r) {
        assertThat(r).isInstanceOf(DpsFromCanonical.Result.Problems.class);
        return ((DpsFromCanonical.Result.Problems) r).problems().stream().map(CanonicalProblem::toString).toList();
    }

    @Test
    void aPaidChargeOfAnAestheticProcedureBecomesADps() {
        Dps dps = built(new DpsFromCanonical(settings(null)).build(charge(), patient(), procedure(), 42, NOW, null));
        assertThat(dps.id().value()).isEqualTo("DPS3550308211222333000181" + "00001" + "000000000000042");
        assertThat(dps.competence()).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(dps.service().nationalTaxCode().value()).isEqualTo("060201");
        assertThat(dps.service().description()).isEqualTo("Limpeza de pele profunda");
        assertThat(dps.service().placeOfService()).isEqualTo("3550308");
        assertThat(dps.values().serviceValue()).isEqualByComparingTo(new BigDecimal("350"));
        assertThat(dps.taker().document()).isEqualTo(Dps.Document.cpf("12345678909"));
        assertThat(dps.taker().name()).isEqualTo("Maria da Conceição");
        assertThat(dps.taker().phone()).isEqualTo("11987654321");
        assertThat(dps.taker().address().postalCode()).isEqualTo("01304001");
        assertThat(dps.taker().address().number()).isEqualTo("1500");
        assertThat(OfficialSchemas.nfse().validate(DpsXml.write(dps))).isEmpty();
    }

    @Test
    void theBreakdownAndCompetenceAreConfigurable() {
        ClinicSettings s = new ClinicSettings("11222333000181", null, "3550308", Dps.SimplesNacional.MEI, null,
                Dps.SpecialRegime.NONE, "3", Dps.Environment.PRODUCTION, "02", null, null, null, null, null);
        Dps dps = built(new DpsFromCanonical(s).build(charge(), patient(), procedure(), 1, NOW,
                LocalDate.parse("2026-11-30")));
        assertThat(dps.service().nationalTaxCode().value()).isEqualTo("060202");
        assertThat(dps.competence()).isEqualTo(LocalDate.parse("2026-11-30"));
    }

    @Test
    void withoutAProcedureTheDefaultItemAndTheChargeDescriptionAreUsed() {
        Dps dps = built(new DpsFromCanonical(settings("06.02")).build(charge(), patient(), null, 7, NOW, null));
        assertThat(dps.service().description()).isEqualTo("Limpeza de pele");
        assertThat(dps.service().nationalTaxCode().value()).isEqualTo("060201");
        assertThat(problems(new DpsFromCanonical(settings(null)).build(charge(), patient(), null, 7, NOW, null)))
                .containsExactly("Charge C-900: appointmentId has no procedure and the clinic has no default service"
                        + " item: the NFS-e needs the LC 116 item (cTribNac)");
    }

    @Test
    void incompleteOptionalTakerDataIsLeftOut() {
        ObjectNode p = patient();
        ((ObjectNode) p.get("address")).remove("district");
        p.put("email", "not an e-mail");
        p.remove("mobilePhone");
        p.put("homePhone", "+55 11 3333-4444");
        ((ObjectNode) p.get("address")).remove("number");
        Dps dps = built(new DpsFromCanonical(settings(null)).build(charge(), p, procedure(), 42, NOW, null));
        assertThat(dps.taker().address()).isNull();
        assertThat(dps.taker().email()).isNull();
        assertThat(dps.taker().phone()).isEqualTo("1133334444");
        assertThat(OfficialSchemas.nfse().validate(DpsXml.write(dps))).isEmpty();
    }

    @Test
    void everyMissingRequiredFieldIsNamedWithItsRecord() {
        ObjectNode p = patient();
        p.remove("cpf");
        p.remove("name");
        ObjectNode proc = procedure();
        proc.remove("serviceItem");
        ObjectNode c = charge();
        c.remove("amount");
        List<String> problems = problems(new DpsFromCanonical(settings(null)).build(c, p, proc, 42, NOW, null));
        assertThat(problems).containsExactly(
                "Charge C-900: amount is missing or not a number, the NFS-e needs the service value (vServ)",
                "Patient 123: cpf is missing, the NFS-e needs the taker's CPF or CNPJ",
                "Patient 123: name is missing, the NFS-e needs the taker's name (xNome)",
                "Procedure LIMP: serviceItem is missing (LC 116 item such as 06.02)");
    }

    @Test
    void wrongValuesAreNamedWithoutEchoingThem() {
        ObjectNode p = patient();
        p.put("cpf", "12345678900");
        ObjectNode proc = procedure();
        proc.put("serviceItem", "0602");
        proc.put("kind", "PRODUCT");
        ObjectNode c = charge();
        c.put("amount", new BigDecimal("-5"));
        c.put("status", "CANCELLED");
        c.put("payer", "INSURANCE");
        List<String> problems = problems(new DpsFromCanonical(settings(null)).build(c, p, proc, 42, NOW, null));
        assertThat(problems).containsExactly(
                "Charge C-900: amount must be positive, with at most 2 decimal places (vServ)",
                "Charge C-900: status is CANCELLED: no NFS-e is issued for it",
                "Charge C-900: payer is INSURANCE: the taker would be the insurance plan, which this builder does not"
                        + " support (only the patient as taker)",
                "Patient 123: cpf is not a valid CPF (11 digits with valid check digits)",
                "Procedure LIMP: kind is PRODUCT, which is invoiced with an NF-e, not an NFS-e",
                "Procedure LIMP: serviceItem is not an LC 116 item of the form NN.NN such as 06.02");
        assertThat(String.join("\n", problems)).doesNotContain("12345678900", "Maria");
    }

    @Test
    void aPatientWithoutIdIsNamedByTheChargesPatientId() {
        ObjectNode p = patient();
        p.remove("id");
        p.remove("cpf");
        assertThat(problems(new DpsFromCanonical(settings(null)).build(charge(), p, procedure(), 42, NOW, null)))
                .containsExactly("Patient 123: cpf is missing, the NFS-e needs the taker's CPF or CNPJ");
    }

    @Test
    void anotherPatientThanTheChargesIsRefused() {
        ObjectNode p = patient();
        p.put("id", "999");
        assertThat(problems(new DpsFromCanonical(settings(null)).build(charge(), p, procedure(), 42, NOW, null)))
                .containsExactly("Charge C-900: patientId names another patient than the one given");
    }

    @Test
    void settingsAreCheckedWhenBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClinicSettings("11222333000182", null,
                        "3550308", Dps.SimplesNacional.MEI, null, Dps.SpecialRegime.NONE, "1",
                        Dps.Environment.PRODUCTION, null, null, null, null, null, null))
                .hasMessageContaining("cnpj");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClinicSettings("11222333000181", null,
                        "3550308", Dps.SimplesNacional.MEI, null, Dps.SpecialRegime.NONE, "1",
                        Dps.Environment.PRODUCTION, "1", null, null, null, null, null))
                .hasMessageContaining("breakdown");
    }
}
