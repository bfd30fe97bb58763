package dev.ponte.hub;

import dev.ponte.spi.ConfigurationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Settings from environment variables ({@code PONTE_…}), for containers and systemd units. The rule (README
 * "Environment variables"): a key's variable is {@code PONTE_} and the rest of the key in capitals, every {@code .} and
 * {@code -} an {@code _} ({@code ponte.connectors.calendar.client-secret} is {@code PONTE_CONNECTORS_CALENDAR_CLIENT_SECRET}).
 * Since {@code _} stands for both, a variable is matched against the keys the hub knows: those of the shipped
 * defaults and of the properties files, and every option of every connector instance (its type's descriptor). A
 * variable no known key matches is read literally, {@code _} as {@code .} and {@code __} as {@code -}. A connector
 * instance may be declared by the environment alone with {@code PONTE_CONNECTORS_<INSTANCE>_TYPE} (the instance's name
 * in lower case, {@code _} as {@code -}).
 *
 * <p>{@code <VARIABLE>_FILE} names a file whose content (without surrounding blanks and line breaks) is the value: secrets mounted
 * by Docker or systemd's {@code LoadCredential}, never written in a properties file. Values are never logged.
 */
final class EnvironmentOverrides {

    static final String PREFIX = "PONTE_";
    private static final String CONNECTORS = "PONTE_CONNECTORS_";
    private static final Pattern INSTANCE_TYPE = Pattern.compile("PONTE_CONNECTORS_(.+)_TYPE");
    private static final Pattern INSTANCE_KEY = Pattern.compile("ponte\\.connectors\\.([^.]+)\\.type");

    /** Variables of the launcher and of the tests that are not settings. */
    static final Set<String> NOT_SETTINGS = Set.of("PONTE_JAVA_OPTS", "PONTE_LANG", "PONTE_CDS", "PONTE_HOME",
            "PONTE_FISCAL_SCHEMAS", "PONTE_FISCAL_SCHEMAS_NFE", "PONTE_NFE_SCHEMAS", "PONTE_SHARED");

    private EnvironmentOverrides() {
    }

    /** The variable that sets a key: {@code ponte.db.password} → {@code PONTE_DB_PASSWORD}. */
    static String variableOf(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * The settings the environment gives.
     *
     * @param env          the environment (variables not starting with {@code PONTE_} are ignored)
     * @param known        the keys and values of the other sources (defaults, files), to match variables against
     * @param optionsOfType the option names of a connector type, empty for an unknown type
     * @return key → value
     * @throws ConfigurationException naming every variable that cannot be used, and why
     */
    static Map<String, String> resolve(Map<String, String> env, Map<String, String> known,
                                       Function<String, Collection<String>> optionsOfType) {
        Map<String, String> vars = new TreeMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith(PREFIX) && !NOT_SETTINGS.contains(k)) {
                vars.put(k, v);
            }
        });
        if (vars.isEmpty()) {
            return Map.of();
        }
        List<String> problems = new ArrayList<>();
        // instances: declared in a file, or by the environment (PONTE_CONNECTORS_<INSTANCE>_TYPE)
        Map<String, String> typeOfInstance = new HashMap<>();
        for (String key : known.keySet()) {
            Matcher m = INSTANCE_KEY.matcher(key);
            if (m.matches()) {
                typeOfInstance.put(m.group(1), known.get(key));
            }
        }
        Set<String> knownKeys = new TreeSet<>(known.keySet());
        // shortest first: PONTE_CONNECTORS_SMS_TYPE declares sms, then PONTE_CONNECTORS_SMS_SYSTEM_TYPE is sms's option
        // system-type, not a second instance "sms-system"
        List<String> typeVars = vars.keySet().stream().filter(v -> INSTANCE_TYPE.matcher(v).matches())
                .sorted(Comparator.comparingInt(String::length)).toList();
        for (String var : typeVars) {
            Matcher m = INSTANCE_TYPE.matcher(var);
            m.matches();
            String upper = m.group(1);
            String name = instanceNamed(upper, typeOfInstance.keySet());
            boolean optionOfAnother = name == null && typeOfInstance.keySet().stream()
                    .anyMatch(i -> upper.startsWith(variableOf(i) + "_"));
            if (!optionOfAnother) {
                typeOfInstance.put(name != null ? name : upper.toLowerCase(Locale.ROOT).replace('_', '-'),
                        vars.get(var));
            }
        }
        Map<String, String> byVariable = new HashMap<>();
        for (String key : knownKeys) {
            byVariable.put(variableOf(key), key);
        }
        for (Map.Entry<String, String> i : typeOfInstance.entrySet()) {
            String type = i.getValue();
            List<String> options = new ArrayList<>(List.of("type", "sandbox"));
            if (type != null) {
                options.addAll(optionsOfType.apply(type));
            }
            for (String option : options) {
                byVariable.putIfAbsent(variableOf("ponte.connectors." + i.getKey() + "." + option),
                        "ponte.connectors." + i.getKey() + "." + option);
            }
        }
        Map<String, String> out = new TreeMap<>();
        Map<String, String> from = new HashMap<>();
        for (Map.Entry<String, String> e : vars.entrySet()) {
            String var = e.getKey();
            String value = e.getValue();
            String key = byVariable.get(var);
            if (key == null && var.endsWith("_FILE")) {
                // <VARIABLE>_FILE, unless that is itself a known key: the value of <VARIABLE>, read from the file
                String plain = var.substring(0, var.length() - "_FILE".length());
                key = keyOf(plain, byVariable, typeOfInstance.keySet());
                if (key != null) {
                    if (vars.containsKey(plain)) {
                        problems.add(var + " and " + plain + " both set " + key + ": keep one of them");
                        continue;
                    }
                    value = readSecret(var, value, problems);
                }
            }
            if (key == null) {
                key = keyOf(var, byVariable, typeOfInstance.keySet());
            }
            if (key == null) {
                problems.add(var + ": names no connector instance (declared: " + new TreeSet<>(typeOfInstance.keySet())
                        + "); declare it with PONTE_CONNECTORS_<INSTANCE>_TYPE or in a properties file, or correct"
                        + " the variable's name");
                continue;
            }
            if (value == null) {
                continue;
            }
            String earlier = from.put(key, var);
            if (earlier != null) {
                problems.add(earlier + " and " + var + " both set " + key + ": keep one of them");
            }
            out.put(key, value.strip());
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        return out;
    }

    /** The key a variable sets, or {@code null} for a connector variable of no known instance. */
    private static String keyOf(String var, Map<String, String> byVariable, Set<String> instances) {
        String known = byVariable.get(var);
        if (known != null) {
            return known;
        }
        if (var.startsWith(CONNECTORS)) {
            String rest = var.substring(CONNECTORS.length());
            String instance = instances.stream()
                    .filter(i -> rest.startsWith(variableOf(i) + "_"))
                    .max(Comparator.comparingInt(String::length)).orElse(null);
            if (instance == null) {
                return null;
            }
            // an option the type does not declare: connector options are written with dashes
            String option = rest.substring(variableOf(instance).length() + 1).toLowerCase(Locale.ROOT).replace('_', '-');
            return "ponte.connectors." + instance + "." + option;
        }
        return "ponte." + var.substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace("__", "-").replace('_', '.');
    }

    private static String instanceNamed(String upper, Set<String> instances) {
        return instances.stream().filter(i -> variableOf(i).equals(upper)).findFirst().orElse(null);
    }

    private static String readSecret(String var, String file, List<String> problems) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            // the path may be shown; the content never is
            problems.add(var + ": cannot read the file " + file + " (" + e.getClass().getSimpleName()
                    + "): give a readable file whose content is the value");
            return null;
        }
    }
}
