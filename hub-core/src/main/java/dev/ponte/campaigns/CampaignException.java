package dev.ponte.campaigns;

import dev.ponte.mapping.MappingProblem;

import java.util.List;
import java.util.stream.Collectors;

/** A campaign file was refused; {@link #problems()} lists every problem, each with file, line and key. */
public final class CampaignException extends RuntimeException {

    private final List<MappingProblem> problems;

    public CampaignException(List<MappingProblem> problems) {
        super("campaign refused, " + problems.size() + " problem(s):\n" + problems.stream()
                .map(p -> "  " + p).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<MappingProblem> problems() {
        return problems;
    }
}
