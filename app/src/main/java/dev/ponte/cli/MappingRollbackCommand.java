package dev.ponte.cli;

import dev.ponte.glossary.Glossary;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.store.MappingHistory;
import dev.ponte.validation.RecordValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ponte mapping rollback NAME VERSION}: puts an accepted version back into the mapping's file, after checking
 * it again (the glossary may have changed since). A running hub reloads it; records made from then on name that
 * version, and replayed dead letters use it.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Write an accepted version of a mapping back into its file, once it passes every check again.",
                "A running hub picks it up like any other change; 'dlq replay' then uses it."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the version is back in the file", "1:the version no longer passes its checks (problems"
                + " on stderr); the file is unchanged", "2:usage error, or no such version"})
final class MappingRollbackCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NAME", description = "The mapping's name, e.g. legacy-clinic/agenda.")
    String name;

    @Parameters(index = "1", paramLabel = "VERSION", description = "A version number from 'mapping history'.")
    int version;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Mixin
    GlossaryOptions glossaryOptions = new GlossaryOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<MappingHistory.Version> versions = MappingVersions.load(hub, name);
        Optional<MappingHistory.Version> chosen = MappingVersions.pick(versions, version);
        if (chosen.isEmpty()) {
            err.println(MappingVersions.noSuchVersion(name, version, versions));
            return 2;
        }
        Path file = Path.of(versions.get(versions.size() - 1).file());
        if (chosen.get().contentHash().equals(MappingVersions.hash(MappingVersions.read(file.toString())))) {
            out.println(file + " already holds version " + version + " of " + name + "; nothing to do");
            return 0;
        }
        Glossary glossary = glossaryOptions.loadGlossary(err);
        if (glossary == null) {
            return 1;
        }
        // checked next to the file, so that its lookup tables resolve; a name that no folder load picks up
        Path candidate = file.resolveSibling("." + file.getFileName() + ".rollback");
        Files.writeString(candidate, chosen.get().content(), StandardCharsets.UTF_8);
        try (RecordValidator validator = glossaryOptions.validator(glossary)) {
            Mapping m = new MappingLoader(glossary, validator).load(candidate);
            Files.move(candidate, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // who rolled back what, in the hash-chained audit log (the history records versions, not their use)
            try (dev.ponte.store.Database db = dev.ponte.hub.PonteHub.openDatabase(hub.settings())) {
                db.inTransaction(c -> {
                    dev.ponte.store.AuditLog.append(c, System.getProperty("user.name", "unknown"), "mapping.rollback",
                            "mapping/" + name, "version " + version + " (" + m.contentHash().substring(0, 12)
                                    + ") written back into " + file, "bin/ponte mapping rollback", java.time.Instant.now());
                    return null;
                });
            }
            out.println(file + ": version " + m.version() + " of " + name + " (" + m.contentHash().substring(0, 12)
                    + ") is back; a running hub reloads it, and 'bin/ponte dlq replay' uses it");
            return 0;
        } catch (MappingException e) {
            err.println("version " + version + " of " + name + " no longer passes its checks; " + file
                    + " is unchanged:");
            for (MappingProblem p : e.problems()) {
                err.println("  " + p.toString().replace(candidate.toString(), file + " (version " + version + ")"));
            }
            return 1;
        } finally {
            Files.deleteIfExists(candidate);
        }
    }
}
