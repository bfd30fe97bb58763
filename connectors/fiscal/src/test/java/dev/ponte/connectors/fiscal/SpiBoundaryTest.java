package dev.ponte.connectors.fiscal;

import dev.ponte.testkit.SpiBoundary;
import org.junit.jupiter.api.Test;

/** This connector's classes, main and test, use the hub through {@code dev.ponte.spi} only. */
class SpiBoundaryTest {

    @Test
    void dependsOnTheSpiOnly() {
        SpiBoundary.check("dev.ponte.connectors.fiscal");
    }
}
