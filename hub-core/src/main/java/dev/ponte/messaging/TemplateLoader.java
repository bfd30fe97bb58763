package dev.ponte.messaging;

import dev.ponte.glossary.EditDistance;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.Sensitivity;
import dev.ponte.glossary.Term;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.model.Channel;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads message templates the way mappings are loaded: every problem of every file together, each with file, line
 * and, for a misspelt key, field or filter, the nearest valid name. A file is {@code <id>.<language>.yaml}:
 * <pre>
 * purpose: reminder                 # confirmation | reminder | invitation | recall | receipt | free
 * channels: [WHATSAPP, SMS, EMAIL]  # optional; all by default
 * subject: "Lembrete de consulta"   # optional (e-mail)
 * html: |                           # optional (e-mail): the HTML body; placeholder values are HTML-escaped
 *   &lt;p&gt;Olá, {{Patient.name|first}}!&lt;/p&gt;
 * text: |
 *   Olá, {{Patient.name|first}}! ... {{Appointment.start|date}} às {{Appointment.start|time}} ...
 * whatsapp:                         # optional: the template approved at Meta
 *   name: ponte_lembrete
 *   language: pt_BR
 *   parameters: ["{{Patient.name|first}}", "{{Appointment.start|date}}"]
 *   buttons: [CONFIRM, CANCEL]      # quick-reply payloads, in the order of the template's buttons
 * </pre>
 * A placeholder must be a glossary field of one of {@link Placeholder#ENTITIES}; a {@code health} field only when the
 * glossary lists every channel of the template in the field's {@code templateChannels}.
 */
public final class TemplateLoader {

    private static final Pattern FILE = Pattern.compile("([a-z0-9][a-z0-9-]*)\\.([a-z]{2}(?:-[A-Z]{2})?)\\.ya?ml");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}|]*?)\\s*(?:\\|\\s*([^}]*?)\\s*)?}}");
    private static final List<String> KEYS = List.of("purpose", "channels", "subject", "text", "html",
            "whatsapp");
    private static final List<String> WHATSAPP_KEYS = List.of("name", "language", "parameters", "buttons");
    /** Largest template file read. */
    static final long MAX_BYTES = 64 * 1024;

    private final Glossary glossary;

    public TemplateLoader(Glossary glossary) {
        this.glossary = glossary;
    }

    /**
     * Every template of a folder.
     *
     * @throws TemplateException with every problem of every file
     */
    public TemplateSet loadFolder(Path folder) {
        List<MappingProblem> problems = new ArrayList<>();
        List<Template> templates = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            throw new TemplateException(List.of(new MappingProblem(folder.toString(), 0, "templates",
                    "no such folder; set ponte.messaging.templates to the folder holding <id>.<language>.yaml files")));
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(folder)) {
            files = s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new TemplateException(List.of(new MappingProblem(folder.toString(), 0, "templates",
                    "cannot list the folder: " + e.getMessage())));
        }
        for (Path f : files) {
            load(f, problems).ifPresent(templates::add);
        }
        if (!problems.isEmpty()) {
            throw new TemplateException(problems);
        }
        return new TemplateSet(templates);
    }

    /**
     * One template file.
     *
     * @throws TemplateException with every problem of the file
     */
    public Template loadFile(Path file) {
        List<MappingProblem> problems = new ArrayList<>();
        Optional<Template> t = load(file, problems);
        if (!problems.isEmpty() || t.isEmpty()) {
            throw new TemplateException(problems);
        }
        return t.get();
    }

    private Optional<Template> load(Path path, List<MappingProblem> problems) {
        String file = path.toString();
        Matcher name = FILE.matcher(path.getFileName().toString());
        if (!name.matches()) {
            problems.add(new MappingProblem(file, 0, "file name", "a template file is named <id>.<language>.yaml, "
                    + "e.g. reminder.pt-BR.yaml (id: lower case, digits and -; language: pt-BR, en)"));
            return Optional.empty();
        }
        Node root;
        try {
            if (Files.size(path) > MAX_BYTES) {
                problems.add(new MappingProblem(file, 0, "file", "larger than " + MAX_BYTES / 1024 + " KiB; a "
                        + "template is a short message"));
                return Optional.empty();
            }
            try (Reader r = new java.io.InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8
                    .newDecoder().onMalformedInput(CodingErrorAction.REPORT))) {
                LoaderOptions options = new LoaderOptions();
                options.setAllowDuplicateKeys(false);
                options.setMaxAliasesForCollections(10);
                options.setCodePointLimit((int) MAX_BYTES);
                root = new Yaml(new SafeConstructor(options)).compose(r);
            }
        } catch (CharacterCodingException e) {
            problems.add(new MappingProblem(file, 0, "file", "not UTF-8; save the file as UTF-8"));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new MappingProblem(file, 0, "file", "cannot be read: " + e.getMessage()));
            return Optional.empty();
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            problems.add(new MappingProblem(file, line, "yaml", "not valid YAML: " + e.getProblem()));
            return Optional.empty();
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                problems.add(new MappingProblem(file, 0, "file", "not UTF-8; save the file as UTF-8"));
                return Optional.empty();
            }
            problems.add(new MappingProblem(file, 0, "yaml", "not valid YAML: " + e.getMessage()));
            return Optional.empty();
        }
        if (!(root instanceof MappingNode map)) {
            problems.add(new MappingProblem(file, root == null ? 0 : line(root), "file",
                    "a template is a YAML mapping with purpose and text"));
            return Optional.empty();
        }
        int before = problems.size();
        Map<String, NodeTuple> top = entries(map, KEYS, file, "", problems);
        MessagePurpose purpose = null;
        NodeTuple p = top.get("purpose");
        if (p == null) {
            problems.add(new MappingProblem(file, line(map), "purpose", "missing; one of " + purposes()));
        } else {
            String v = scalar(p.getValueNode());
            purpose = MessagePurpose.parse(v == null ? "" : v).orElse(null);
            if (purpose == null) {
                problems.add(new MappingProblem(file, line(p.getValueNode()), "purpose", "'" + v + "' is not a "
                        + "purpose; one of " + purposes() + near(v, Arrays.stream(MessagePurpose.values())
                        .map(MessagePurpose::id).toList())));
            }
        }
        Set<Channel> channels = EnumSet.allOf(Channel.class);
        NodeTuple ch = top.get("channels");
        if (ch != null) {
            channels = EnumSet.noneOf(Channel.class);
            for (Node n : items(ch.getValueNode(), file, "channels", problems)) {
                String v = String.valueOf(scalar(n));
                try {
                    channels.add(Channel.valueOf(v.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    problems.add(new MappingProblem(file, line(n), "channels", "'" + v + "' is not a channel; use "
                            + "WHATSAPP, SMS, EMAIL"));
                }
            }
        }
        List<Object> subject = top.containsKey("subject")
                ? parts(top.get("subject").getValueNode(), file, "subject", channels, problems) : List.of();
        List<Object> text = List.of();
        if (!top.containsKey("text")) {
            problems.add(new MappingProblem(file, line(map), "text", "missing: the message every channel can send"));
        } else {
            text = parts(top.get("text").getValueNode(), file, "text", channels, problems);
        }
        List<Object> html = top.containsKey("html")
                ? parts(top.get("html").getValueNode(), file, "html", channels, problems) : List.of();
        Template.WhatsAppForm form = null;
        NodeTuple w = top.get("whatsapp");
        if (w != null) {
            if (!(w.getValueNode() instanceof MappingNode wm)) {
                problems.add(new MappingProblem(file, line(w.getValueNode()), "whatsapp", "must be a mapping with "
                        + "name, language, parameters and buttons"));
            } else {
                Map<String, NodeTuple> we = entries(wm, WHATSAPP_KEYS, file, "whatsapp.", problems);
                String wname = we.containsKey("name") ? scalar(we.get("name").getValueNode()) : null;
                String wlang = we.containsKey("language") ? scalar(we.get("language").getValueNode()) : null;
                if (wname == null || !wname.matches("[a-z0-9_]{1,512}")) {
                    problems.add(new MappingProblem(file, line(wm), "whatsapp.name", "the template's name at Meta "
                            + "(lower case, digits and _) is missing or malformed"));
                }
                if (wlang == null || !wlang.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
                    problems.add(new MappingProblem(file, line(wm), "whatsapp.language", "the template's language "
                            + "code at Meta, such as pt_BR, is missing or malformed"));
                }
                List<List<Object>> params = new ArrayList<>();
                if (we.containsKey("parameters")) {
                    for (Node n : items(we.get("parameters").getValueNode(), file, "whatsapp.parameters", problems)) {
                        params.add(parts(n, file, "whatsapp.parameters", Set.of(Channel.WHATSAPP), problems));
                    }
                }
                List<String> buttons = new ArrayList<>();
                if (we.containsKey("buttons")) {
                    for (Node n : items(we.get("buttons").getValueNode(), file, "whatsapp.buttons", problems)) {
                        String b = scalar(n);
                        if (b == null || b.isBlank() || b.length() > 128) {
                            problems.add(new MappingProblem(file, line(n), "whatsapp.buttons", "a button payload is "
                                    + "1 to 128 characters, such as CONFIRM"));
                        } else {
                            buttons.add(b);
                        }
                    }
                }
                form = new Template.WhatsAppForm(wname, wlang, params, buttons);
            }
        }
        if (problems.size() > before || purpose == null) {
            return Optional.empty();
        }
        return Optional.of(new Template(name.group(1), name.group(2), purpose, channels, subject, text, html, form,
                file));
    }

    /** The literal and placeholder parts of a text, each placeholder checked against the glossary. */
    private List<Object> parts(Node node, String file, String key, Set<Channel> channels,
                               List<MappingProblem> problems) {
        String text = scalar(node);
        if (text == null) {
            problems.add(new MappingProblem(file, line(node), key, "must be text"));
            return List.of();
        }
        int base = line(node) + (node instanceof ScalarNode s && (s.getScalarStyle() == org.yaml.snakeyaml
                .DumperOptions.ScalarStyle.LITERAL || s.getScalarStyle() == org.yaml.snakeyaml.DumperOptions
                .ScalarStyle.FOLDED) ? 1 : 0);
        List<Object> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                parts.add(text.substring(at, m.start()));
            }
            int line = base + (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count();
            placeholder(m.group(1), m.group(2), file, line, key, channels, problems).ifPresent(parts::add);
            at = m.end();
        }
        if (at < text.length()) {
            parts.add(text.substring(at));
        }
        String rest = String.join("", parts.stream().filter(String.class::isInstance).map(String.class::cast)
                .toList());
        if (rest.contains("{{") || rest.contains("}}")) {
            problems.add(new MappingProblem(file, base, key, "an unclosed or malformed placeholder; write "
                    + "{{Entity.field}} or {{Entity.field|filter}}"));
        }
        return parts;
    }

    private Optional<Placeholder> placeholder(String path, String filter, String file, int line, String key,
                                              Set<Channel> channels, List<MappingProblem> problems) {
        int dot = path.indexOf('.');
        if (dot < 1) {
            problems.add(new MappingProblem(file, line, key, "{{" + path + "}} is not a glossary field; write "
                    + "{{Entity.field}}, e.g. {{Patient.name|first}}"));
            return Optional.empty();
        }
        String entity = path.substring(0, dot);
        String field = path.substring(dot + 1);
        if (!Placeholder.ENTITIES.contains(entity)) {
            problems.add(new MappingProblem(file, line, key, "{{" + path + "}}: a message can show fields of "
                    + Placeholder.ENTITIES + " only" + near(entity, Placeholder.ENTITIES)));
            return Optional.empty();
        }
        Optional<Term> term = glossary.term(entity + "." + field);
        if (term.isEmpty()) {
            problems.add(new MappingProblem(file, line, key, "{{" + path + "}} is not a glossary field"
                    + glossary.suggest(entity, field).map(s -> "; did you mean " + entity + "." + s + "?")
                    .orElseGet(() -> {
                        String n = near(field, glossary.fieldsOf(entity).stream().map(Term::field).toList());
                        return n.isEmpty() ? "; see the glossary's fields of " + entity
                                : n.replace("did you mean ", "did you mean " + entity + ".");
                    })));
            return Optional.empty();
        }
        if (term.get().sensitivity() == Sensitivity.HEALTH) {
            Set<String> allowed = Set.copyOf(term.get().templateChannels().stream()
                    .map(s -> s.toUpperCase(Locale.ROOT)).toList());
            List<Channel> refused = channels.stream().filter(c -> !allowed.contains(c.name())).sorted().toList();
            if (!refused.isEmpty()) {
                problems.add(new MappingProblem(file, line, key, "{{" + path + "}} is health data; the glossary "
                        + "does not allow it in messages on " + refused + " (its templateChannels: "
                        + (allowed.isEmpty() ? "none" : allowed) + "); remove it, or restrict the template's channels"));
                return Optional.empty();
            }
        }
        if (filter != null && !Placeholder.FILTERS.contains(filter)) {
            problems.add(new MappingProblem(file, line, key, "{{" + path + "|" + filter + "}}: no filter '" + filter
                    + "'; one of " + Placeholder.FILTERS + near(filter, Placeholder.FILTERS)));
            return Optional.empty();
        }
        return Optional.of(new Placeholder(entity, field, filter));
    }

    private static Map<String, NodeTuple> entries(MappingNode map, List<String> keys, String file, String prefix,
                                                  List<MappingProblem> problems) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode());
            if (k == null || !keys.contains(k)) {
                problems.add(new MappingProblem(file, line(t.getKeyNode()), prefix + k, "unknown key; known: " + keys
                        + near(k, keys)));
            } else {
                out.put(k, t);
            }
        }
        return out;
    }

    private static List<Node> items(Node node, String file, String key, List<MappingProblem> problems) {
        if (node instanceof SequenceNode s) {
            return s.getValue();
        }
        problems.add(new MappingProblem(file, line(node), key, "must be a list, e.g. [a, b]"));
        return List.of();
    }

    private static String near(String value, List<String> known) {
        if (value == null) {
            return "";
        }
        return known.stream().map(k -> Map.entry(k, EditDistance.between(k.toLowerCase(Locale.ROOT),
                        value.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() <= Math.max(1, Math.min(2, (value.length() + 1) / 2)))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(e -> "; did you mean " + e.getKey() + "?").orElse("");
    }

    private static String purposes() {
        return Arrays.stream(MessagePurpose.values()).map(MessagePurpose::id).toList().toString();
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : null;
    }

    private static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
