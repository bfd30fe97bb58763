package dev.ponte.spi;

/**
 * One configuration option of a connector. Its description is the documentation: the hub prints it in errors and
 * {@code bin/ponte connectors}.
 *
 * @param key          option name under {@code ponte.connectors.<instance>.}, e.g. {@code inbox}
 * @param type         how to read the value
 * @param defaultValue value when not configured, {@code null} for none; may use {@code ${data-dir}} and
 *                     {@code ${instance}}
 * @param description  what the option does, for the admin
 * @param required     whether start-up fails without it
 * @param secret       a credential: never printed, logged or put in exceptions
 *
 * @since 0.1
 */
public record ConfigField(String key, ConfigType type, String defaultValue, String description, boolean required,
                          boolean secret) {

    public static ConfigField required(String key, ConfigType type, String description) {
        return new ConfigField(key, type, null, description, true, false);
    }

    public static ConfigField optional(String key, ConfigType type, String defaultValue, String description) {
        return new ConfigField(key, type, defaultValue, description, false, false);
    }

    /** A credential; required unless a default is given. */
    public static ConfigField secret(String key, String description, boolean required) {
        return new ConfigField(key, ConfigType.STRING, null, description, required, true);
    }
}
