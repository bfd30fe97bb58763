package dev.ponte.mappings;

import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.Sensitivity;
import dev.ponte.glossary.Term;
import dev.ponte.model.CanonicalModel;
import dev.ponte.model.References;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** The glossary and the Java model must describe exactly the same fields, in both directions. */
class GlossaryModelAgreementTest {

    private static Glossary glossary;

    @BeforeAll
    static void load() {
        glossary = ShippedMappings.glossary();
    }

    @Test
    void glossaryHasExactlyTheCanonicalTypes() {
        assertThat(glossary.typeNames()).containsExactlyInAnyOrderElementsOf(CanonicalModel.types().keySet());
    }

    @Test
    void everyModelFieldIsInTheGlossaryWithTheSameTypeRequirednessAndValues() {
        List<String> disagreements = new ArrayList<>();
        CanonicalModel.types().forEach((typeName, type) -> {
            for (RecordComponent rc : type.getRecordComponents()) {
                String path = typeName + "." + rc.getName();
                Term term = glossary.term(path).orElse(null);
                if (term == null) {
                    disagreements.add(path + ": in the model, missing from glossary.yaml");
                    continue;
                }
                Set<String> acceptable = glossaryTypesFor(rc);
                if (!acceptable.contains(term.type())) {
                    disagreements.add(path + ": glossary type '" + term.type() + "', model needs one of " + acceptable);
                }
                boolean required = isRequired(type, rc);
                if (term.required() != required) {
                    disagreements.add(path + ": glossary required=" + term.required() + ", model required=" + required);
                }
                if (rc.getType().isEnum()) {
                    List<String> constants = Arrays.stream(rc.getType().getEnumConstants()).map(Object::toString).toList();
                    if (!term.allowedValues().equals(constants)) {
                        disagreements.add(path + ": glossary values " + term.allowedValues() + ", model " + constants);
                    }
                } else if (!term.allowedValues().isEmpty()) {
                    disagreements.add(path + ": glossary lists values but the model field is not an enum");
                }
            }
        });
        assertThat(disagreements).isEmpty();
    }

    @Test
    void everyGlossaryFieldIsInTheModel() {
        List<String> extra = new ArrayList<>();
        for (String typeName : glossary.typeNames()) {
            Class<? extends Record> type = CanonicalModel.type(typeName).orElse(null);
            Set<String> components = new TreeSet<>();
            if (type != null) {
                Arrays.stream(type.getRecordComponents()).forEach(rc -> components.add(rc.getName()));
            }
            for (Term t : glossary.fieldsOf(typeName)) {
                if (!components.contains(t.field())) {
                    extra.add(t.path() + ": in glossary.yaml, not in the model");
                }
            }
        }
        assertThat(extra).isEmpty();
    }

    @Test
    void personalAndHealthDataIsMarkedSensitive() {
        Map<String, Sensitivity> mustBe = Map.of(
                "Patient.cpf", Sensitivity.PERSONAL, "Patient.mobilePhone", Sensitivity.PERSONAL,
                "Patient.name", Sensitivity.PERSONAL, "Patient.email", Sensitivity.PERSONAL,
                "Patient.allergies", Sensitivity.HEALTH, "Allergy.substance", Sensitivity.HEALTH,
                "ClinicalNote.text", Sensitivity.HEALTH, "Patient.notes", Sensitivity.HEALTH,
                "Payment.amount", Sensitivity.FINANCIAL);
        mustBe.forEach((path, s) -> assertThat(glossary.term(path)).as(path).get()
                .extracting(Term::sensitivity).isEqualTo(s));
    }

    @Test
    void nearMissesGetASuggestion() {
        assertThat(glossary.suggest("Patient", "cpff")).contains("cpf");
        assertThat(glossary.suggest("Patient", "brithDate")).contains("birthDate");
        assertThat(glossary.suggest("Patient", "DATA_NASC")).contains("birthDate"); // a known synonym
        assertThat(glossary.suggest("Patient", "zzzzzz")).isEmpty();
        // labels and synonyms in both languages, word for word, without case or accents
        assertThat(glossary.suggest("Patient", "mobile")).contains("mobilePhone"); // en label "Mobile phone"
        assertThat(glossary.suggest("Patient", "telefone_celular")).contains("mobilePhone");
        assertThat(glossary.suggest("Patient", "celular")).contains("mobilePhone"); // pt-BR label "Celular"
        assertThat(glossary.suggest("Patient", "Data de Nascimento")).contains("birthDate");
        assertThat(glossary.didYouMean("Patient", "mobile"))
                .isEqualTo("; did you mean Patient.mobilePhone (the words of 'Mobile phone')?");
        assertThat(glossary.didYouMean("Patient", "telefone_celular"))
                .isEqualTo("; did you mean Patient.mobilePhone (the words of 'Celular')?");
        assertThat(glossary.didYouMean("Patient", "fone_cel"))
                .isEqualTo("; did you mean Patient.mobilePhone (a known synonym 'FONE_CEL')?");
        assertThat(glossary.didYouMean("Patient", "cpff")).isEqualTo("; did you mean Patient.cpf?");
    }

    private static boolean isRequired(Class<?> type, RecordComponent rc) {
        try {
            Field f = type.getDeclaredField(rc.getName());
            return f.isAnnotationPresent(NotNull.class) || f.isAnnotationPresent(NotBlank.class)
                    || f.isAnnotationPresent(NotEmpty.class);
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> glossaryTypesFor(RecordComponent rc) {
        References ref = rc.getAnnotation(References.class);
        if (ref != null) {
            return Set.of("ref:" + ref.value().getSimpleName());
        }
        Class<?> t = rc.getType();
        if (t == List.class) {
            Class<?> element = (Class<?>) ((ParameterizedType) rc.getGenericType()).getActualTypeArguments()[0];
            return Set.of("list<" + element.getSimpleName() + ">");
        }
        if (t == String.class) {
            return Set.of("string");
        }
        if (t == Integer.class) {
            return Set.of("integer");
        }
        if (t == BigDecimal.class) {
            return Set.of("decimal", "money");
        }
        if (t == Boolean.class) {
            return Set.of("boolean");
        }
        if (t == LocalDate.class) {
            return Set.of("date");
        }
        if (t == LocalTime.class) {
            return Set.of("time");
        }
        if (t == OffsetDateTime.class) {
            return Set.of("datetime");
        }
        if (t == Instant.class) {
            return Set.of("instant");
        }
        if (t.isEnum()) {
            return Set.of("enum");
        }
        if (t.isRecord()) {
            return Set.of(t.getSimpleName());
        }
        return Set.of("(no glossary type for " + t.getName() + ")");
    }
}
