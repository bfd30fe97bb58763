package dev.ponte.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ponte mapping ...}: check and try out mapping files. */
@Command(name = "mapping", mixinStandardHelpOptions = true,
        description = "Check mapping files, draft one from a sample, preview what they make of an export, and see, compare and roll back their versions.",
        subcommands = {MappingCheckCommand.class, MappingPreviewCommand.class, MappingHistoryCommand.class,
                MappingDiffCommand.class, MappingRollbackCommand.class, MappingDraftCommand.class})
final class MappingCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
