package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.messaging.Template;
import dev.ponte.messaging.TemplateException;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.model.Channel;
import dev.ponte.spi.OutboundMessage;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ponte template ...}: check message templates and see what a patient would receive. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Check message templates and preview what a patient receives on each channel.",
        subcommands = {TemplateCommand.Check.class, TemplateCommand.Preview.class})
final class TemplateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The template files of the arguments: files as given, folders' {@code *.yaml}. */
    static List<Path> files(List<Path> args) throws java.io.IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load template files with all their checks (glossary fields, filters, health data).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every template loads", "1:at least one was refused (problems on stderr)"})
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "FILE|DIR",
                description = "Template files or folders (default: the hub's ponte.messaging.templates).")
        List<Path> paths = new ArrayList<>();

        @CommandLine.Mixin
        GlossaryOptions options = new GlossaryOptions();

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Glossary glossary = options.loadGlossary(err);
            if (glossary == null) {
                return 1;
            }
            dev.ponte.hub.HubSettings settings = hub.settings();
            String language = settings.get("ponte.messaging.language") == null ? "pt-BR"
                    : settings.get("ponte.messaging.language");
            Path folder = settings.get("ponte.messaging.templates") != null
                    ? Path.of(settings.get("ponte.messaging.templates")) : defaultFolder();
            List<Path> files = files(paths.isEmpty() ? List.of(folder) : paths);
            int missing = 0;
            for (Path dir : paths.isEmpty() ? List.of(folder) : paths) {
                if (Files.isDirectory(dir)) {
                    for (String id : dev.ponte.messaging.Messaging.REQUIRED_TEMPLATES) {
                        if (!Files.exists(dir.resolve(id + "." + language + ".yaml"))) {
                            missing++;
                            err.println(dir + ": no " + id + "." + language + ".yaml, which the hub needs");
                        }
                    }
                }
            }
            TemplateLoader loader = new TemplateLoader(glossary);
            int refused = 0;
            for (Path f : files) {
                try {
                    Template t = loader.loadFile(f);
                    out.printf("ok      %s  (%s, %s, %d placeholder(s)%s)%n", f, t.purpose().id(), t.language(),
                            t.placeholders().size(), t.whatsapp() == null ? "" : ", WhatsApp " + t.whatsapp().name());
                } catch (TemplateException e) {
                    refused++;
                    out.printf("REFUSED %s  (%d problem(s))%n", f, e.problems().size());
                    for (MappingProblem p : e.problems()) {
                        err.println(p);
                    }
                }
            }
            out.printf("%d template(s) checked, %d refused%s%n", files.size(), refused,
                    missing == 0 ? "" : ", " + missing + " the hub needs missing");
            out.flush();
            err.flush();
            return refused == 0 && missing == 0 && !files.isEmpty() ? 0 : 1;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Render a template with sample records (or your own) for each channel.")
    static final class Preview implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "The template file.")
        Path file;

        @Option(names = "--data", paramLabel = "JSON",
                description = "A JSON file {\"Patient\": {...}, \"Appointment\": {...}, \"Procedure\": {...}, ...}"
                        + " (default: a sample patient and appointment).")
        Path data;

        @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "America/Sao_Paulo",
                description = "The clinic's time zone (default: ${DEFAULT-VALUE}).")
        String zone;

        @CommandLine.Mixin
        GlossaryOptions options = new GlossaryOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Glossary glossary = options.loadGlossary(err);
            if (glossary == null) {
                return 1;
            }
            Template t;
            try {
                t = new TemplateLoader(glossary).loadFile(file);
            } catch (TemplateException e) {
                e.problems().forEach(err::println);
                err.flush();
                return 1;
            }
            Map<String, JsonNode> records = new LinkedHashMap<>();
            JsonNode root;
            try {
                root = Json.MAPPER.readTree(data != null ? Files.readString(data) : SAMPLE);
            } catch (java.io.IOException e) {
                err.println(data + ": not a JSON object of records by entity (" + e.getClass().getSimpleName() + ")");
                err.flush();
                return 1;
            }
            root.fields().forEachRemaining(e -> records.put(e.getKey(), e.getValue()));
            for (Channel ch : t.channels().stream().sorted().toList()) {
                OutboundMessage m = t.render("preview", ch, ch == Channel.EMAIL ? "paciente@example.com"
                        : "+55 11 9xxxx-xxxx", records, java.time.ZoneId.of(zone));
                out.println("── " + ch + " ──");
                if (m.subject() != null) {
                    out.println("subject: " + m.subject());
                }
                out.println(m.text());
                if (m.template() != null) {
                    out.println("WhatsApp template " + m.template().name() + " (" + m.template().language()
                            + "), parameters " + m.template().parameters() + ", buttons " + m.template().buttons());
                }
            }
            out.flush();
            return 0;
        }

        private static final String SAMPLE = """
                {"Patient": {"name": "Ana Paula Souza", "mobilePhone": "+5511991214283"},
                 "Appointment": {"start": "2026-12-04T14:30:00-03:00", "end": "2026-12-04T15:30:00-03:00"},
                 "Procedure": {"name": "Limpeza de pele"},
                 "Professional": {"name": "Dra. Camila Rocha"},
                 "Unit": {"name": "Unidade Jardins"}}
                """;
    }

    static Path defaultFolder() {
        return Path.of(System.getProperty("ponte.home", "."), "mappings", "templates");
    }
}
