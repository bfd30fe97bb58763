package dev.ponte.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/ponte}: the admin command line. */
@Command(name = "ponte", mixinStandardHelpOptions = true, versionProvider = PonteCli.Version.class,
        description = "Ponte: integration hub for aesthetic clinics.",
        subcommands = {RunCommand.class, ImportCommand.class, StatusCommand.class, DlqCommand.class, AuditCommand.class,
                SandboxCommand.class, DemoCommand.class, GenerateCommand.class, MappingCommand.class, CommandLine.HelpCommand.class})
public final class PonteCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // route Hibernate Validator's jboss-logging through slf4j, so the CLI's log settings apply to it
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (used by tests without exiting the JVM). */
    public static int run(String... args) {
        return new CommandLine(new PonteCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = PonteCli.class.getPackage().getImplementationVersion();
            return new String[]{"ponte " + (v == null ? "(development build)" : v)};
        }
    }
}
