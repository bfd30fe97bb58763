package dev.ponte.cli;

import dev.ponte.tools.LegacyExportGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ponte generate OUT}: a synthetic legacy export of any size. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic legacy-clinic export (same shape as examples/legacy-clinic) of any size.")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(paramLabel = "OUT", description = "Folder to write the CSV files into.")
    Path out;

    @Option(names = "--patients", defaultValue = "1000") int patients;
    @Option(names = "--appointments", defaultValue = "100000") long appointments;
    @Option(names = "--bad-every", defaultValue = "0", description = "One broken row in K (0: none).") int badEvery;
    @Option(names = "--seed", defaultValue = "7") long seed;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        LegacyExportGenerator.Summary s = LegacyExportGenerator.generate(out, patients, appointments, badEvery, seed);
        spec.commandLine().getOut().printf("wrote %s: %d patients (%d broken), %d appointments (%d broken)%n", out,
                s.patients(), s.badPatients(), s.appointments(), s.badAppointments());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
