package dev.ponte.connectors.boundarysample;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.ponte.testkit.SpiBoundary;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The boundary rule can fail: a class in a connector package using a hub-internal type breaks it. */
class SpiBoundaryRuleTest {

    /** Uses only the SPI. */
    static final class GoodConnectorClass {
        dev.ponte.spi.Webhooks.Response answer() {
            return dev.ponte.spi.Webhooks.Response.ok();
        }
    }

    /** Reaches into the hub's store. */
    static final class BadConnectorClass {
        String url(java.nio.file.Path dir) {
            return dev.ponte.store.Database.embeddedUrl(dir);
        }
    }

    @Test
    void aHubInternalTypeInAConnectorPackageBreaksTheRule() {
        JavaClasses bad = new ClassFileImporter().importClasses(BadConnectorClass.class);
        assertThatThrownBy(() -> SpiBoundary.rule().check(bad)).hasMessageContaining("dev.ponte.store.Database")
                .hasMessageContaining("what it needs from the hub belongs in the SPI");
        JavaClasses good = new ClassFileImporter().importClasses(GoodConnectorClass.class);
        assertThatCode(() -> SpiBoundary.rule().check(good)).doesNotThrowAnyException();
    }
}
