package dev.ponte.spi;

import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A rule across several options of one instance, declared with the {@link ConnectorDescriptor} (as Debezium's field
 * groups or Kafka Connect's {@code Connector.validate}): "give either a key file or an OAuth token, not both",
 * "required with push-address". The hub checks every rule of every instance at start-up, after each option has been
 * read and validated on its own, before the broker or any route starts, and reports each broken rule under its
 * first key: {@code ponte.connectors.<instance>.<key>: <message>}.
 *
 * @param keys    the options the rule is about, first the one the message is reported under; each is declared
 * @param message what is wrong and what to do, in the admin's words; never a value (it may be secret)
 * @param holds   whether a configuration satisfies the rule; must be pure (no I/O)
 * @since 0.2
 */
public record ConfigRule(List<String> keys, String message, Predicate<ConnectorConfig> holds) {

    public ConfigRule {
        keys = List.copyOf(keys);
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a rule names at least one option");
        }
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(holds, "holds");
    }

    /** {@code key} is required whenever {@code when} is configured. */
    public static ConfigRule requiredWith(String key, String when, String why) {
        return new ConfigRule(List.of(key, when), "required with " + when + (why.isEmpty() ? "" : ", " + why),
                c -> !c.has(when) || c.has(key));
    }

    /** At most one of the two groups of options is configured. */
    public static ConfigRule notBoth(List<String> first, List<String> second, String message) {
        List<String> keys = new java.util.ArrayList<>(first);
        keys.addAll(second);
        return new ConfigRule(keys, message, c -> !(first.stream().anyMatch(c::has)
                && second.stream().anyMatch(c::has)));
    }

    /** All of the options, or none of them. */
    public static ConfigRule allOrNone(List<String> keys, String message) {
        return new ConfigRule(keys, message, c -> keys.stream().allMatch(c::has) || keys.stream().noneMatch(c::has));
    }

    /** The number or duration at {@code smaller} is below the one at {@code larger} (when both are set). */
    public static ConfigRule lessThan(String smaller, String larger) {
        return new ConfigRule(List.of(smaller, larger), "must be less than " + larger, c -> !c.has(smaller)
                || !c.has(larger) || ((Number) c.value(smaller)).longValue() < ((Number) c.value(larger)).longValue());
    }

    /** Any other rule: {@code holds} says whether a configuration satisfies it. */
    public static ConfigRule of(String message, Predicate<ConnectorConfig> holds, String... keys) {
        return new ConfigRule(List.of(keys), message, holds);
    }

    /** The problem for {@link ConfigurationException}, or {@code null} when the rule holds. */
    String problem(ConnectorConfig config) {
        return holds.test(config) ? null : config.fullKey(keys.get(0)) + ": " + message;
    }
}
