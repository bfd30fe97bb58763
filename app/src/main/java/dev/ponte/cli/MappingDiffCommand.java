package dev.ponte.cli;

import dev.ponte.admin.LineDiff;
import dev.ponte.store.MappingHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code ponte mapping diff NAME V1 [V2]}: what changed between two versions, or between a version and the file. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "The lines that differ between two accepted versions of a mapping, or between one and the file now.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:no difference", "1:differences printed", "2:usage error, or no such version"})
final class MappingDiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The mapping's name, e.g. legacy-clinic/agenda.")
    String name;

    @Parameters(index = "1", paramLabel = "V1", description = "A version number from 'mapping history'.")
    int from;

    @Parameters(index = "2", arity = "0..1", paramLabel = "V2",
            description = "Another version number (default: the mapping file as it is now).")
    Integer to;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<MappingHistory.Version> versions = MappingVersions.load(hub, name);
        Optional<MappingHistory.Version> a = MappingVersions.pick(versions, from);
        Optional<MappingHistory.Version> b = to == null ? Optional.empty() : MappingVersions.pick(versions, to);
        if (a.isEmpty() || to != null && b.isEmpty()) {
            err.println(MappingVersions.noSuchVersion(name, a.isEmpty() ? from : to, versions));
            return 2;
        }
        String label = b.map(v -> "version " + v.version()).orElse("the file now (" + a.get().file() + ")");
        String after = b.map(MappingHistory.Version::content)
                .orElseGet(() -> MappingVersions.read(versions.get(versions.size() - 1).file()));
        if (after == null) {
            err.println("cannot read " + versions.get(versions.size() - 1).file() + "; give a second version");
            return 2;
        }
        List<String> lines = LineDiff.of(a.get().content(), after.startsWith("\uFEFF") ? after.substring(1) : after);
        out.println("--- version " + a.get().version() + " (" + a.get().acceptedAt() + ")");
        out.println("+++ " + label);
        lines.forEach(out::println);
        out.println(lines.isEmpty() ? "no difference" : lines.size() + " line(s) differ");
        out.flush();
        return lines.isEmpty() ? 0 : 1;
    }
}
