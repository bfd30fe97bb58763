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
 * @param validator    what a value must further satisfy (a range, choices, a scheme), or {@code null}; checked on
 *                     the default too (since 0.2)
 *
 * @since 0.1
 */
public record ConfigField(String key, ConfigType type, String defaultValue, String description, boolean required,
                          boolean secret, ConfigValidator validator) {

    public ConfigField {
        java.util.Objects.requireNonNull(key, "key");
        java.util.Objects.requireNonNull(type, "type");
        if (type == ConfigType.ENUM && validator == null) {
            throw new IllegalArgumentException(key + ": an ENUM option needs its choices (ConfigField.choice)");
        }
    }

    /** Without a validator. */
    public ConfigField(String key, ConfigType type, String defaultValue, String description, boolean required,
                       boolean secret) {
        this(key, type, defaultValue, description, required, secret, null);
    }

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

    /**
     * One of a fixed set of words (type ENUM).
     *
     * @param defaultValue one of the choices, or {@code null} for a required option
     * @since 0.2
     */
    public static ConfigField choice(String key, String defaultValue, String description, String... choices) {
        return new ConfigField(key, ConfigType.ENUM, defaultValue, description, defaultValue == null, false,
                ConfigValidator.oneOf(choices));
    }

    /**
     * This field with {@code v} as what its value must further satisfy.
     *
     * @since 0.2
     */
    public ConfigField validatedBy(ConfigValidator v) {
        return new ConfigField(key, type, defaultValue, description, required, secret, v);
    }
}
