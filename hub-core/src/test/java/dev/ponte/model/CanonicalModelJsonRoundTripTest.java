package dev.ponte.model;

import dev.ponte.json.Json;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every canonical type survives JSON and back unchanged, with every field filled (money keeps its scale, times
 * keep their offset). Samples are built from the record components, so a new field or entity is covered at once.
 */
class CanonicalModelJsonRoundTripTest {

    @TestFactory
    Stream<DynamicTest> everyCanonicalTypeRoundTrips() {
        return CanonicalModel.types().values().stream().map(type -> DynamicTest.dynamicTest(type.getSimpleName(), () -> {
            Object sample = sample(type);
            String json = Json.MAPPER.writeValueAsString(sample);
            Object back = Json.MAPPER.readValue(json, type);
            assertThat(back).isEqualTo(sample);
            assertThat(json).doesNotContain("null"); // every field was filled, so every field was written
        }));
    }

    @Test
    void moneyAndOffsetsAreWrittenAsTheyAre() throws Exception {
        Payment p = new Payment("1", "c", LocalDate.of(2025, 11, 25), new BigDecimal("280.00"), PaymentMethod.PIX);
        assertThat(Json.MAPPER.writeValueAsString(p)).contains("\"amount\":280.00", "\"paidOn\":\"2025-11-25\"");
        ClinicalNote n = new ClinicalNote("1", "p", null, null, OffsetDateTime.parse("2025-11-25T10:00:00-03:00"), "x");
        assertThat(Json.MAPPER.writeValueAsString(n)).contains("2025-11-25T10:00:00-03:00");
    }

    @Test
    void unknownPropertiesAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Json.MAPPER.readValue("{\"name\":\"x\",\"nmae\":1}",
                Room.class)).hasMessageContaining("nmae");
    }

    static Object sample(Class<?> type) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            args[i] = value(components[i].getGenericType(), components[i].getName());
        }
        return type.getDeclaredConstructor(types).newInstance(args);
    }

    private static Object value(Type generic, String name) throws Exception {
        if (generic instanceof ParameterizedType p) {
            return List.of(value(p.getActualTypeArguments()[0], name));
        }
        Class<?> c = (Class<?>) generic;
        if (c == String.class) {
            return "sample-" + name;
        }
        if (c == Integer.class) {
            return 7;
        }
        if (c == BigDecimal.class) {
            return new BigDecimal("1234.50");
        }
        if (c == Boolean.class) {
            return Boolean.TRUE;
        }
        if (c == LocalDate.class) {
            return LocalDate.of(2026, 1, 5);
        }
        if (c == LocalTime.class) {
            return LocalTime.of(10, 30);
        }
        if (c == OffsetDateTime.class) {
            return OffsetDateTime.parse("2026-01-05T10:30:00-03:00");
        }
        if (c == Instant.class) {
            return Instant.parse("2026-01-05T13:30:00Z");
        }
        if (c.isEnum()) {
            Object[] constants = c.getEnumConstants();
            return constants[constants.length - 1];
        }
        if (c.isRecord()) {
            return sample(c);
        }
        throw new AssertionError("no sample for " + c + " (" + name + "); teach this test the new type");
    }
}
