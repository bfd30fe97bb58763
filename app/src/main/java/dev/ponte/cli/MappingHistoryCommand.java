package dev.ponte.cli;

import dev.ponte.store.MappingHistory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ponte mapping history NAME}: every accepted version of a mapping, who loaded it and when. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"Every version of a mapping the hub accepted: version, when, by whom, content hash, file.",
                "The version whose content the file holds now is marked 'in the file'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the history was printed", "1:no version of this mapping was ever accepted", "2:usage error"})
final class MappingHistoryCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The mapping's name, e.g. legacy-clinic/agenda.")
    String name;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<MappingHistory.Version> versions = MappingVersions.load(hub, name);
        if (versions.isEmpty()) {
            spec.commandLine().getErr().println("no version of mapping '" + name + "' was ever accepted by the hub of "
                    + hub.dataDir + " (the history starts when a hub or an import first loads it)");
            return 1;
        }
        String now = MappingVersions.hash(MappingVersions.read(versions.get(versions.size() - 1).file()));
        out.printf("%-8s %-25s %-12s %-14s %s%n", "version", "accepted", "by", "content", "file");
        for (MappingHistory.Version v : versions) {
            out.printf("%-8d %-25s %-12s %-14s %s%s%n", v.version(), v.acceptedAt(), v.by(),
                    v.contentHash().substring(0, 12), v.file(), v.contentHash().equals(now) ? "  (in the file)" : "");
        }
        out.flush();
        return 0;
    }
}
