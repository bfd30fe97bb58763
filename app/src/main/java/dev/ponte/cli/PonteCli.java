package dev.ponte.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/ponte}: the admin command line. */
@Command(name = "ponte", mixinStandardHelpOptions = true, versionProvider = PonteCli.Version.class,
        description = "Ponte: integration hub for aesthetic clinics.",
        subcommands = {RunCommand.class, ImportCommand.class, StatusCommand.class, DlqCommand.class, AuditCommand.class,
                SandboxCommand.class, DemoCommand.class, GenerateCommand.class, MappingCommand.class, ConnectorsCommand.class, TemplateCommand.class, MessagesCommand.class,
                InvoiceCommand.class, ReconcileCommand.class, ReviewCommand.class, CampaignCommand.class, ApiKeyCommand.class, BrokerConfigCommand.class,
                CommandLine.HelpCommand.class})
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
        return commandLine().execute(args);
    }

    /** The command line with the CLI's settings: the one place that builds it (bin/ponte and tests alike). */
    public static CommandLine commandLine() {
        return new CommandLine(new PonteCli()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(PonteCli::failed);
    }

    /**
     * A command failed with an exception: say what happened in words (the message of every cause, which name the
     * file, key or record), exit 1. The stack trace is for developers: only with {@code -Dponte.debug=true}.
     */
    private static int failed(Exception e, CommandLine command, CommandLine.ParseResult parsed) {
        java.io.PrintWriter err = command.getErr();
        err.println("ponte " + command.getCommandName() + " failed: " + describe(e));
        if (Boolean.getBoolean("ponte.debug")) {
            e.printStackTrace(err);
        } else {
            err.println("(for the stack trace, run again with PONTE_JAVA_OPTS=-Dponte.debug=true)");
        }
        err.flush();
        return 1;
    }

    /** The messages of an exception and its causes, each once, without the class names users cannot act on. */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            String m = t.getMessage();
            if (m == null || m.isBlank()) {
                m = t.getClass().getSimpleName();
            }
            if (out.indexOf(m) < 0) {
                out.append(out.length() == 0 ? "" : "\n  caused by: ").append(m);
            }
        }
        return out.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code ponte --version}: the version and the commit it was built from, written by the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties build = new java.util.Properties();
            try (java.io.InputStream in = PonteCli.class.getClassLoader().getResourceAsStream("ponte-build.properties")) {
                if (in != null) {
                    build.load(in);
                }
            } catch (java.io.IOException e) {
                // no build information: said below
            }
            String version = build.getProperty("version", "");
            String commit = build.getProperty("commit", "");
            if (version.isBlank() || version.startsWith("${")) {
                return new String[]{"ponte (development build: classes not built by Maven)"};
            }
            return new String[]{"ponte " + version + " (commit " + (commit.isBlank() || commit.startsWith("${")
                    ? "unknown: built outside a git checkout" : commit) + ")",
                    "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                            + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
