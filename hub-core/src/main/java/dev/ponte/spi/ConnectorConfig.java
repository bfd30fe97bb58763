package dev.ponte.spi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The validated configuration of one connector instance: every declared option has a typed value or is absent.
 * {@link #toString()} masks secrets. Immutable.
 *
 * @since 0.1
 */
public final class ConnectorConfig {

    private final String instance;
    private final ConnectorDescriptor descriptor;
    private final Map<String, Object> values;
    private final boolean sandbox;

    public ConnectorConfig(String instance, ConnectorDescriptor descriptor, Map<String, Object> values,
                           boolean sandbox) {
        this.instance = instance;
        this.descriptor = descriptor;
        this.values = Map.copyOf(values);
        this.sandbox = sandbox;
    }

    public String instance() {
        return instance;
    }

    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    /** Sandbox mode: requests are built exactly as in production but delivered to a local recorder. */
    public boolean sandbox() {
        return sandbox;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public String string(String key) {
        Object v = values.get(key);
        return v == null ? null : v.toString();
    }

    public Integer integer(String key) {
        return (Integer) values.get(key);
    }

    public Boolean bool(String key) {
        return (Boolean) values.get(key);
    }

    public Path path(String key) {
        return (Path) values.get(key);
    }

    public URI url(String key) {
        return (URI) values.get(key);
    }

    /** A duration in milliseconds. */
    public Long millis(String key) {
        return (Long) values.get(key);
    }

    /**
     * A LIST option: its values, or an empty list when it is not configured.
     *
     * @since 0.2
     */
    @SuppressWarnings("unchecked")
    public java.util.List<String> list(String key) {
        Object v = values.get(key);
        return v == null ? java.util.List.of() : (java.util.List<String>) v;
    }

    /**
     * The typed value of an option, as {@link ConfigType#parse} returns it, or {@code null} when absent.
     *
     * @since 0.2
     */
    public Object value(String key) {
        return values.get(key);
    }

    /** The key with its instance prefix, for messages: {@code ponte.connectors.clinic.inbox}. */
    public String fullKey(String key) {
        return ConnectorConfigs.PREFIX + instance + "." + key;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new TreeMap<>();
        for (ConfigField f : descriptor.config()) {
            if (values.containsKey(f.key())) {
                shown.put(f.key(), f.secret() ? "****" : String.valueOf(values.get(f.key())));
            }
        }
        return "ConnectorConfig[" + instance + " (" + descriptor.type() + (sandbox ? ", sandbox" : "") + "): "
                + shown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))
                + "]";
    }
}
