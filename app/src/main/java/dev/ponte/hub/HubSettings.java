package dev.ponte.hub;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfigs;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hub's configuration: {@code ponte-defaults.properties} (shipped), then the installation's
 * {@code conf/ponte.properties}, {@code <data-dir>/ponte.properties}, a file given with {@code --config},
 * {@code PONTE_*} environment variables, {@code -Dponte.*} system properties; later sources win.
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
        return load(dataDir, configFile, overrides, System.getenv());
    }

    /**
     * The sources, later ones winning: the shipped defaults; {@code <ponte.home>/conf/ponte.properties} (the
     * installation's); {@code <data-dir>/ponte.properties}; the {@code --config} file; {@code PONTE_*} environment
     * variables ({@link EnvironmentOverrides}); {@code -Dponte.*} system properties; {@code overrides}.
     */
    static HubSettings load(Path dataDir, Path configFile, Map<String, String> overrides, Map<String, String> env) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Map<String, String> v = new TreeMap<>();
        String defaults;
        try (InputStream in = HubSettings.class.getClassLoader().getResourceAsStream("ponte-defaults.properties")) {
            defaults = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            read(new java.io.StringReader(defaults), v);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ponte-defaults.properties", e);
        }
        String home = home();
        readFile(Path.of(home).resolve("conf").resolve("ponte.properties"), v);
        readFile(dir.resolve("ponte.properties"), v);
        if (configFile != null) {
            if (!Files.isRegularFile(configFile)) {
                throw new ConfigurationException(List.of("--config " + configFile + ": no such file"));
            }
            readFile(configFile, v);
        }
        Map<String, String> system = new TreeMap<>();
        System.getProperties().forEach((k, val) -> {
            if (k.toString().startsWith("ponte.") && !k.toString().equals("ponte.home")) {
                system.put(k.toString(), val.toString());
            }
        });
        // the keys a variable is matched against: every key set so far, and those the defaults only describe
        Map<String, String> known = new java.util.HashMap<>(v);
        Matcher described = DESCRIBED_KEY.matcher(defaults);
        while (described.find()) {
            known.putIfAbsent(described.group(1), "");
        }
        known.putAll(system);
        v.putAll(EnvironmentOverrides.resolve(env, known, optionsOfTypes()));
        v.putAll(system);
        v.putAll(overrides);
        v.replaceAll((k, val) -> val.replace("${ponte.home}", home).replace("${data-dir}", dir.toString()));
        return new HubSettings(dir, v);
    }

    /** A key the defaults file describes in a comment ({@code # ponte.fiscal.from=...}) without setting it. */
    private static final Pattern DESCRIBED_KEY = Pattern.compile("(?m)^#\\s*(ponte\\.[a-z0-9.-]+)=");

    /** The installation folder: {@code -Dponte.home} (bin/ponte sets it), else the working directory. */
    private static String home() {
        return System.getProperty("ponte.home", Path.of("").toAbsolutePath().toString());
    }

    /** The option names of a connector type, the types discovered once and only when a variable needs them. */
    private static Function<String, Collection<String>> optionsOfTypes() {
        var discovered = new Object() {
            Map<String, Connector> types;
        };
        return type -> {
            if (discovered.types == null) {
                discovered.types = ConnectorConfigs.discover();
            }
            Connector c = discovered.types.get(type);
            return c == null ? List.of() : c.descriptor().config().stream().map(ConfigField::key).toList();
        };
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

    private static void read(Reader in, Map<String, String> into) throws IOException {
        Properties p = new Properties();
        p.load(in);
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
    /** How the broker keeps and redelivers messages ({@code ponte.broker.*}), for the embedded one and broker.xml. */
    public dev.ponte.broker.BrokerSettings brokerSettings() {
        return new dev.ponte.broker.BrokerSettings(dataDir().resolve("broker"), get("ponte.broker.acceptor"),
                getInt("ponte.broker.max-delivery-attempts"), getLong("ponte.broker.redelivery-delay"),
                getDouble("ponte.broker.redelivery-multiplier"), getLong("ponte.broker.max-redelivery-delay"));
    }

    /** The pool in front of an external database, from {@code ponte.db.pool.*}. */
    public dev.ponte.store.Database.Pool dbPool() {
        return new dev.ponte.store.Database.Pool(getInt("ponte.db.pool.max-size"), getInt("ponte.db.pool.min-idle"),
                java.time.Duration.ofMillis(getLong("ponte.db.pool.connection-timeout")));
    }

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
                "ponte.health.timeout", "ponte.events.retention-days", "ponte.db.pool.max-size", "ponte.db.pool.min-idle",
                "ponte.db.pool.connection-timeout", "ponte.cluster.lease")) {
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
        if (problems.stream().noneMatch(p -> p.startsWith("ponte.db.pool."))) {
            try {
                dbPool();
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        if (problems.stream().noneMatch(p -> p.startsWith("ponte.cluster.lease")) && getLong("ponte.cluster.lease") < 1000) {
            problems.add("ponte.cluster.lease: at least 1000 (milliseconds; default 15000)");
        }
        String dbUrl = get("ponte.db.url");
        if (dbUrl != null && !dbUrl.startsWith("jdbc:postgresql:")) {
            problems.add("ponte.db.url: '" + dbUrl.replaceAll("(?i)(password=)[^&;]*", "$1****") + "' is not a"
                    + " PostgreSQL URL (jdbc:postgresql://host:5432/database); leave it empty for the embedded H2");
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
