package dev.ponte.cli;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.mapping.MappingSet;
import dev.ponte.validation.RecordValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ponte mapping check FILE...}: exit 0 when every file loads, 1 otherwise, with every problem printed. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Load mapping files with all their checks (glossary, transforms, examples) without running them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every file loads", "1:at least one file was refused (problems on stderr)", "2:usage error"})
final class MappingCheckCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Mapping files to check.")
    List<Path> files;

    @CommandLine.Mixin
    GlossaryOptions options = new GlossaryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Glossary glossary = options.loadGlossary(err);
        if (glossary == null) {
            return 1;
        }
        int refused = 0;
        int problems = 0;
        try (RecordValidator validator = options.validator(glossary)) {
            MappingLoader loader = new MappingLoader(glossary, validator);
            Map<Path, Mapping> loaded = new LinkedHashMap<>();
            for (Path file : files) {
                try {
                    Mapping m = loader.load(file);
                    loaded.put(file, m);
                    out.printf("ok      %s  (%s → %s, %d columns)%n", file, m.id(), m.target().getSimpleName(),
                            m.columns().size());
                } catch (MappingException e) {
                    refused++;
                    problems += e.problems().size();
                    out.printf("REFUSED %s  (%d problem(s))%n", file, e.problems().size());
                    for (MappingProblem p : e.problems()) {
                        err.println(p);
                    }
                }
            }
            // files that each load may still be ambiguous together (two mappings of one entity on one file)
            List<MappingProblem> conflicts = MappingSet.conflicts(loaded);
            if (!conflicts.isEmpty()) {
                refused += (int) conflicts.stream().map(MappingProblem::file).distinct().count();
                problems += conflicts.size();
                out.printf("REFUSED together: %d conflict(s) between the files%n", conflicts.size());
                conflicts.forEach(err::println);
            }
        }
        out.printf("%d file(s) checked, %d refused, %d problem(s)%n", files.size(), refused, problems);
        out.flush();
        err.flush();
        return refused == 0 ? 0 : 1;
    }
}
