package dev.ponte.hub;

import dev.ponte.spi.ConfigurationException;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The hub's configuration: {@code ponte-defaults.properties} (shipped), then {@code <data-dir>/ponte.properties},
 * then a file given with {@code --config}, then {@code -Dponte.*} system properties; later sources win.
 * {@code ${ponte.home}} and {@code ${data-dir}} are expanded. Immutable.
 */
public final class HubSettings {

    private final Path dataDir;
    private final Map<String, String> values;

    private HubSettings(Path dataDir, Map<String, String> values) {
        this.dataDir = dataDir;
        this.values = Map.copyOf(values);
    }

    /**
     * @param dataDir    where everything the hub keeps lives (created if missing)
     * @param configFile an extra properties file, or {@code null}
     * @param overrides  values that win over every file (tests, command options)
     */
    public static HubSettings load(Path dataDir, Path configFile, Map<String, String> overrides) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Map<String, String> v = new TreeMap<>();
        try (InputStream in = HubSettings.class.getClassLoader().getResourceAsStream("ponte-defaults.properties")) {
            read(in, v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ponte-defaults.properties", e);
        }
        readFile(dir.resolve("ponte.properties"), v);
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigurationException(List.of("--config " + configFile + ": no such file"));
            }
            readFile(configFile, v);
        }
        System.getProperties().forEach((k, val) -> {
            if (k.toString().startsWith("ponte.") && !k.toString().equals("ponte.home")) {
                v.put(k.toString(), val.toString());
            }
        });
        v.putAll(overrides);
        String home = System.getProperty("ponte.home", Path.of("").toAbsolutePath().toString());
        v.replaceAll((k, val) -> val.replace("${ponte.home}", home).replace("${data-dir}", dir.toString()));
        return new HubSettings(dir, v);
    }

    private static void readFile(Path file, Map<String, String> into) {
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                Properties p = new Properties();
                p.load(r);
                p.forEach((k, val) -> into.put(k.toString(), val.toString().strip()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
    }

    private static void read(InputStream in, Map<String, String> into) throws IOException {
        Properties p = new Properties();
        p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        p.forEach((k, val) -> into.put(k.toString(), val.toString().strip()));
    }

    public Path dataDir() {
        return dataDir;
    }

    public Map<String, String> all() {
        return values;
    }

    /** The value, or {@code null} when absent or blank. */
    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v;
    }

    public int getInt(String key) {
        return Integer.parseInt(required(key));
    }

    public long getLong(String key) {
        return Long.parseLong(required(key));
    }

    /** A {@code true}/{@code false} setting; absent is {@code false} (its default is in ponte-defaults.properties). */
    public boolean bool(String key) {
        return "true".equalsIgnoreCase(get(key));
    }

    public double getDouble(String key) {
        return Double.parseDouble(required(key));
    }

    private String required(String key) {
        String v = get(key);
        if (v == null) {
            throw new ConfigurationException(List.of(key + ": required"));
        }
        return v;
    }

    public String clinic() {
        return values.getOrDefault("ponte.clinic", "clinic");
    }

    /** Checks the hub's own numeric settings, all problems together. */
    public void validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
    }

    /** Every problem of the hub's own settings ({@code ponte.*} outside {@code ponte.connectors.*}), naming keys. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (String key : List.of("ponte.broker.max-delivery-attempts", "ponte.broker.redelivery-delay",
                "ponte.broker.max-redelivery-delay", "ponte.http.port", "ponte.http.max-body-size", "ponte.disk.min-free",
                "ponte.health.timeout", "ponte.events.retention-days")) {
            try {
                if (Long.parseLong(String.valueOf(get(key))) < 0) {
                    problems.add(key + ": must not be negative");
                }
            } catch (NumberFormatException e) {
                problems.add(key + ": '" + get(key) + "' must be a whole number");
            }
        }
        if ("0".equals(get("ponte.health.timeout"))) {
            problems.add("ponte.health.timeout: must be at least 1 (milliseconds; default 1000)");
        }
        for (String key : List.of("ponte.db.compact-on-stop")) {
            String v = get(key);
            if (v != null && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                problems.add(key + ": '" + v + "' must be true or false");
            }
        }
        try {
            Double.parseDouble(String.valueOf(get("ponte.broker.redelivery-multiplier")));
        } catch (NumberFormatException e) {
            problems.add("ponte.broker.redelivery-multiplier: must be a number such as 2.0");
        }
        return problems;
    }
}
