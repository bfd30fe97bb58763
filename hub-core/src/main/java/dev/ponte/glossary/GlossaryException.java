package dev.ponte.glossary;

import java.util.List;

/** The glossary file is inconsistent; {@link #problems()} lists every problem found, not only the first. */
public final class GlossaryException extends RuntimeException {
    private final List<String> problems;

    public GlossaryException(List<String> problems) {
        super("glossary refused (" + problems.size() + " problem(s)):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
