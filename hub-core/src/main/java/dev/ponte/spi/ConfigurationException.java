package dev.ponte.spi;

import java.util.List;

/**
 * The hub's configuration is wrong; {@link #problems()} names every key at fault, not only the first.
 *
 * @since 0.1
 */
public final class ConfigurationException extends RuntimeException {
    private final List<String> problems;

    public ConfigurationException(List<String> problems) {
        super("configuration refused, " + problems.size() + " problem(s):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
