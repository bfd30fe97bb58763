package dev.ponte.mapping;

import java.util.List;
import java.util.stream.Collectors;

/** A mapping file was refused; {@link #problems()} lists every problem found, not only the first. */
public final class MappingException extends RuntimeException {
    private final List<MappingProblem> problems;

    public MappingException(List<MappingProblem> problems) {
        super("mapping refused, " + problems.size() + " problem(s):\n" + problems.stream()
                .map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<MappingProblem> problems() {
        return problems;
    }
}
