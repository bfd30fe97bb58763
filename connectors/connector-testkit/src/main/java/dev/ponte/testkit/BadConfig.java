package dev.ponte.testkit;

import java.util.Map;
import java.util.Set;

/**
 * A configuration the connector must refuse, with every key its problems must name.
 *
 * @param why          what is wrong, for the test report
 * @param options      the options, without the {@code ponte.connectors.<instance>.} prefix
 * @param expectedKeys options each of which must be named by a problem (without prefix)
 */
public record BadConfig(String why, Map<String, String> options, Set<String> expectedKeys) {
}
