package dev.ponte.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ponte.json.Json;
import dev.ponte.model.Patient;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The name key that flags possible duplicates without CPF: accents, case and spacing do not count. */
class PatientIdentityTest {

    private static Patient patient(String json) throws JsonProcessingException {
        return Json.MAPPER.readValue(json, Patient.class);
    }

    @Test
    void nameKeyIgnoresAccentsCaseAndSpacing() throws JsonProcessingException {
        String a = PatientIdentity.nameKey(patient("{\"name\":\"  José   da Conceição \",\"birthDate\":\"1953-05-13\"}"));
        String b = PatientIdentity.nameKey(patient("{\"name\":\"JOSE DA CONCEICAO\",\"birthDate\":\"1953-05-13\"}"));
        assertThat(a).isEqualTo("JOSE DA CONCEICAO|1953-05-13").isEqualTo(b);
    }

    @Test
    void nameKeyTellsBirthDatesApart() throws JsonProcessingException {
        assertThat(PatientIdentity.nameKey(patient("{\"name\":\"Ana Lima\",\"birthDate\":\"1990-01-02\"}")))
                .isNotEqualTo(PatientIdentity.nameKey(patient("{\"name\":\"Ana Lima\",\"birthDate\":\"1990-01-03\"}")));
    }

    @Test
    void noNameKeyWithoutNameOrBirthDate() throws JsonProcessingException {
        assertThat(PatientIdentity.nameKey(patient("{\"name\":\"Ana Lima\"}"))).isNull();
        assertThat(PatientIdentity.nameKey(patient("{\"birthDate\":\"1990-01-02\"}"))).isNull();
    }
}
