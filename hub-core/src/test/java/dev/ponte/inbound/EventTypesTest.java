package dev.ponte.inbound;

import dev.ponte.model.CanonicalModel;
import dev.ponte.outbound.OutboundCommands;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Event type names: entity ↔ kebab case both ways, for every canonical entity, and the event source. */
class EventTypesTest {

    @Test
    void everyCanonicalEntityRoundTripsThroughItsEventTypes() {
        for (Class<? extends Record> type : CanonicalModel.ENTITIES) {
            String entity = type.getSimpleName();
            for (String verb : EventTypes.RECORD_VERBS) {
                String eventType = EventTypes.type(entity, verb);
                assertThat(eventType).as(entity).matches("[a-z]+(-[a-z]+)*\\.[a-z-]+");
                assertThat(EventTypes.recordEntity(eventType)).as(eventType).contains(entity);
                assertThat(OutboundCommands.entityOf(eventType)).as(eventType).contains(entity);
            }
            assertThat(EventTypes.entity(EventTypes.kebab(entity))).as(entity).contains(entity);
        }
    }

    @Test
    void namesAreKebabCase() {
        assertThat(EventTypes.type("PackageEnrollment", EventTypes.UPSERTED)).isEqualTo("package-enrollment.upserted");
        assertThat(EventTypes.type("Appointment", EventTypes.STATUS_CHANGED)).isEqualTo("appointment.status-changed");
        assertThat(EventTypes.type("Patient", EventTypes.MERGED)).isEqualTo("patient.merged");
        assertThat(EventTypes.kebab("SkinTest")).isEqualTo("skin-test");
    }

    @Test
    void onlyRecordChangesNameARecordEntity() {
        assertThat(EventTypes.recordEntity("patient.merged")).isEmpty();
        assertThat(EventTypes.recordEntity("patient")).isEmpty();
        assertThat(EventTypes.recordEntity("no-such-thing.upserted")).isEmpty();
    }

    @Test
    void sourceNamesSystemAndInstance() {
        assertThat(EventTypes.source("legacy-clinic", "legacy")).isEqualTo("ponte://legacy-clinic/legacy");
    }
}
