package dev.ponte.cli;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorDescriptor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.util.Map;

/**
 * {@code ponte connectors}: the connector types on the class path and every option each takes, as declared in its
 * descriptor (type, default, what a valid value is, secret or not) with the rules across options. Reads nothing of a
 * data directory; what is printed is what start-up checks.
 */
@Command(name = "connectors", mixinStandardHelpOptions = true,
        description = "List the connector types and the options each takes (ponte.connectors.<instance>.<option>).")
final class ConnectorsCommand implements java.util.concurrent.Callable<Integer> {

    @CommandLine.Parameters(arity = "0..1", paramLabel = "TYPE", description = "Only this connector type.")
    String only;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Map<String, Connector> types = ConnectorConfigs.discover();
        PrintWriter out = spec.commandLine().getOut();
        if (only != null && !types.containsKey(only)) {
            spec.commandLine().getErr().printf("no connector type '%s' (types: %s)%n", only,
                    String.join(", ", types.keySet()));
            spec.commandLine().getErr().flush();
            return 2;
        }
        for (Connector c : types.values()) {
            ConnectorDescriptor d = c.descriptor();
            if (only != null && !only.equals(d.type())) {
                continue;
            }
            out.printf("%s %s (%s): %s%n", d.type(), d.version(), d.direction().name().toLowerCase(java.util.Locale.ROOT),
                    d.description());
            out.printf("  ponte.connectors.<instance>.type=%s; common options: %s%n", d.type(),
                    String.join(", ", new java.util.TreeSet<>(ConnectorConfigs.COMMON_KEYS)));
            for (ConfigField f : d.config()) {
                StringBuilder line = new StringBuilder("  ").append(f.key()).append(" (")
                        .append(f.type().name().toLowerCase(java.util.Locale.ROOT));
                if (f.validator() != null && !f.validator().describe().isEmpty()) {
                    line.append(", ").append(f.validator().describe());
                }
                line.append(f.required() ? ", required" : f.defaultValue() != null ? ", default "
                        + f.defaultValue() : ", optional");
                if (f.secret()) {
                    line.append(", secret");
                }
                line.append("): ").append(f.description());
                out.println(line);
            }
            for (ConfigRule rule : d.rules()) {
                out.printf("  rule on %s: %s%n", String.join(", ", rule.keys()), rule.message());
            }
            out.println();
        }
        out.flush();
        return 0;
    }
}
