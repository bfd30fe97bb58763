package dev.ponte.messaging;

import dev.ponte.mapping.MappingProblem;

import java.util.List;
import java.util.stream.Collectors;

/** A template folder was refused; {@link #problems()} lists every problem, each with file and line. */
public final class TemplateException extends RuntimeException {

    private final List<MappingProblem> problems;

    public TemplateException(List<MappingProblem> problems) {
        super("message templates refused, " + problems.size() + " problem(s):\n" + problems.stream()
                .map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<MappingProblem> problems() {
        return problems;
    }
}
