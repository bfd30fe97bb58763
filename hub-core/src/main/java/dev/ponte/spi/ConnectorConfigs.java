package dev.ponte.spi;

import dev.ponte.glossary.EditDistance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Discovers connector types and validates the configuration of every instance
 * ({@code ponte.connectors.<instance>.type} and the options its descriptor declares), collecting every problem of
 * every instance — unknown types and options (with suggestions), missing required options, values of the wrong type
 * or outside their validator, broken {@link ConfigRule}s, the connector's own {@link Connector#validate} — before
 * anything starts. Secret values never appear in messages.
 *
 * @since 0.1
 */
public final class ConnectorConfigs {

    public static final String PREFIX = "ponte.connectors.";
    /** Options every instance has, besides those its descriptor declares. */
    public static final Set<String> COMMON_KEYS = Set.of("type", "sandbox");

    private ConnectorConfigs() {
    }

    /** Connector types on the class path, by type name. */
    public static Map<String, Connector> discover() {
        Map<String, Connector> out = new TreeMap<>();
        for (Connector c : ServiceLoader.load(Connector.class)) {
            out.put(c.descriptor().type(), c);
        }
        return out;
    }

    /**
     * Validates every instance configured in {@code properties}.
     *
     * @param properties   all hub properties; only {@code ponte.connectors.*} keys are read
     * @param types        the known connector types
     * @param placeholders values for {@code ${name}} in defaults, e.g. {@code data-dir}
     * @return one configuration per instance, in instance-name order
     * @throws ConfigurationException listing every problem
     */
    public static List<ConnectorConfig> validate(Map<String, String> properties, Map<String, Connector> types,
                                                 Map<String, String> placeholders) {
        Checked checked = check(properties, types, placeholders);
        if (!checked.problems().isEmpty()) {
            throw new ConfigurationException(checked.problems());
        }
        return checked.configs();
    }

    /**
     * The outcome of checking every instance: the configurations that could be read and every problem found.
     *
     * @param configs  one per instance whose type is known, in instance-name order (with problems, some of its
     *                 options may be absent)
     * @param problems every problem of every instance, each starting with the full key at fault
     * @since 0.2
     */
    public record Checked(List<ConnectorConfig> configs, List<String> problems) {
        public Checked {
            configs = List.copyOf(configs);
            problems = List.copyOf(problems);
        }
    }

    /**
     * As {@link #validate}, but returns the problems instead of throwing, so that a caller can add its own (the
     * hub's settings, mapping folders) and report everything together.
     *
     * @since 0.2
     */
    public static Checked check(Map<String, String> properties, Map<String, Connector> types,
                                Map<String, String> placeholders) {
        Map<String, Map<String, String>> byInstance = new TreeMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(PREFIX)) {
                String rest = k.substring(PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    byInstance.computeIfAbsent(rest.substring(0, dot), i -> new TreeMap<>())
                            .put(rest.substring(dot + 1), v);
                }
            }
        });
        List<String> problems = new ArrayList<>();
        List<ConnectorConfig> configs = new ArrayList<>();
        byInstance.forEach((instance, options) -> validateInstance(instance, options, types, placeholders, problems)
                .ifPresent(configs::add));
        return new Checked(configs, problems);
    }

    private static Optional<ConnectorConfig> validateInstance(String instance, Map<String, String> options,
                                                              Map<String, Connector> types,
                                                              Map<String, String> placeholders, List<String> problems) {
        String prefix = PREFIX + instance + ".";
        if (!instance.matches("[a-z][a-z0-9-]*")) {
            problems.add(prefix + "*: instance names are lower-case letters, digits and '-' (they name queues)");
        }
        String type = options.get("type");
        if (type == null) {
            problems.add(prefix + "type: required: the connector type (available: " + String.join(", ", types.keySet())
                    + ")");
            return Optional.empty();
        }
        Connector connector = types.get(type);
        if (connector == null) {
            String suggestion = types.keySet().stream().filter(t -> EditDistance.between(t, type) <= 2).findFirst()
                    .map(t -> "; did you mean " + t + "?").orElse("");
            problems.add(prefix + "type: unknown connector type '" + type + "'" + suggestion + " (available: "
                    + String.join(", ", types.keySet()) + ")");
            return Optional.empty();
        }
        ConnectorDescriptor d = connector.descriptor();
        Map<String, ConfigField> fields = new LinkedHashMap<>();
        d.config().forEach(f -> fields.put(f.key(), f));
        Set<String> known = new TreeSet<>(fields.keySet());
        known.addAll(COMMON_KEYS);
        for (String key : options.keySet()) {
            if (!known.contains(key)) {
                String suggestion = known.stream().filter(k -> EditDistance.between(k, key) <= 2).findFirst()
                        .map(k -> "; did you mean " + prefix + k + "?").orElse("");
                problems.add(prefix + key + ": unknown option for " + type + suggestion + " (options: "
                        + String.join(", ", known) + ")");
            }
        }
        boolean sandbox = false;
        if (options.containsKey("sandbox")) {
            try {
                sandbox = (Boolean) ConfigType.BOOLEAN.parse(options.get("sandbox"));
            } catch (IllegalArgumentException e) {
                problems.add(prefix + "sandbox: " + e.getMessage());
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        int fieldProblems = 0;
        for (ConfigField f : fields.values()) {
            String text = options.get(f.key());
            if (text == null && f.defaultValue() != null) {
                text = expand(f.defaultValue(), instance, placeholders);
            }
            if (text == null || text.isBlank()) {
                if (f.required()) {
                    problems.add(prefix + f.key() + ": required: " + f.description());
                    fieldProblems++;
                }
                continue;
            }
            try {
                Object value = f.type().parse(text);
                if (f.validator() != null) {
                    f.validator().check(value);
                }
                values.put(f.key(), value);
            } catch (IllegalArgumentException | ClassCastException e) {
                String why = e instanceof ClassCastException ? "cannot be checked (the connector's validator does not"
                        + " fit a " + f.type() + " option; report it to the connector's authors)" : e.getMessage();
                problems.add(prefix + f.key() + ": " + (f.secret() ? "the value " : "'" + text + "' ") + why);
                fieldProblems++;
            }
        }
        ConnectorConfig config = new ConnectorConfig(instance, d, values, sandbox);
        if (fieldProblems == 0) {
            // rules across options and the connector's own checks read typed values: only on options that all read
            problems.addAll(crossChecks(connector, config));
        }
        return Optional.of(config);
    }

    /** The descriptor's rules, then the connector's own {@link Connector#validate}; a failing check is a problem. */
    private static List<String> crossChecks(Connector connector, ConnectorConfig config) {
        List<String> out = new ArrayList<>();
        for (ConfigRule rule : config.descriptor().rules()) {
            try {
                String problem = rule.problem(config);
                if (problem != null) {
                    out.add(problem);
                }
            } catch (RuntimeException e) {
                out.add(config.fullKey(rule.keys().get(0)) + ": the rule '" + rule.message() + "' could not be "
                        + "checked (" + e.getClass().getSimpleName() + "); report it to the connector's authors");
            }
        }
        try {
            List<String> own = connector.validate(config);
            if (own != null) {
                out.addAll(own);
            }
        } catch (RuntimeException e) {
            out.add(PREFIX + config.instance() + ".*: the " + config.descriptor().type() + " connector's checks "
                    + "failed (" + e.getClass().getSimpleName() + "); report it to the connector's authors");
        }
        return out;
    }

    private static String expand(String text, String instance, Map<String, String> placeholders) {
        String out = text.replace("${instance}", instance);
        for (Map.Entry<String, String> p : placeholders.entrySet()) {
            out = out.replace("${" + p.getKey() + "}", p.getValue());
        }
        return out;
    }
}
