package dev.ponte.campaigns;

import dev.ponte.glossary.EditDistance;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.messaging.MessagePurpose;
import dev.ponte.messaging.Template;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import dev.ponte.model.ProcedureKind;
import dev.ponte.model.Sex;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads retention campaign files the way mappings and templates are loaded: every problem of every file together,
 * each with file, line and key, and for a misspelt key or value the nearest valid one. The YAML is composed into
 * nodes only (no Java type is ever built from a tag), duplicate keys are refused, a file is at most
 * {@value #MAX_BYTES} bytes of UTF-8. A file is {@code <id>.yaml}:
 * <pre>
 * campaign: botox-retouch          # required, the file's name
 * version: 1                       # required, a whole number raised on every change
 * description: ...                 # optional
 * trigger:                         # required, exactly one of:
 *   days-after-procedure: {procedure: P003, days: 120, catch-up-days: 7}   # or kind: SERVICE | PRODUCT
 *   package-ended: {days: 7, catch-up-days: 7}
 *   birthday: {}
 *   no-visit: {days: 180, catch-up-days: 7}
 * audience:                        # optional
 *   min-age: 18
 *   max-age: 70
 *   sex: [FEMALE]
 *   units: [unit-1]
 *   procedures-ever: [P003]
 *   exclude-with-future-appointment: true
 * template: botox-retouch          # required: a template of purpose recall in ponte.messaging.language
 * channels: [whatsapp, sms, email] # optional, this order
 * window: {days: [MON, TUE, WED, THU, FRI], from: "09:00", to: "18:00"}
 * cadence: {once-per-patient-days: 90}
 * attribution: {booked-within-days: 14, replied-within-days: 7}
 * </pre>
 * Thread safe.
 */
public final class CampaignLoader {

    /** Largest campaign file read. */
    static final long MAX_BYTES = 64 * 1024;
    private static final Pattern FILE = Pattern.compile("([a-z0-9][a-z0-9-]{0,99})\\.ya?ml");
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");
    private static final Pattern CODE = Pattern.compile("[^\\s]{1,20}");
    private static final List<String> TOP = List.of("campaign", "version", "description", "trigger", "audience",
            "template", "channels", "window", "cadence", "attribution");
    private static final List<String> TRIGGERS = List.of("days-after-procedure", "package-ended", "birthday",
            "no-visit");
    private static final List<String> AFTER_PROCEDURE = List.of("procedure", "kind", "days", "catch-up-days");
    private static final List<String> DAYS_KEYS = List.of("days", "catch-up-days");
    private static final List<String> AUDIENCE = List.of("min-age", "max-age", "sex", "units", "procedures-ever",
            "exclude-with-future-appointment");
    private static final List<String> WINDOW = List.of("days", "from", "to");
    private static final List<String> CADENCE = List.of("once-per-patient-days");
    private static final List<String> ATTRIBUTION = List.of("booked-within-days", "replied-within-days");
    /** Default of {@code catch-up-days}. */
    public static final int CATCH_UP_DAYS = 7;
    /** Default of {@code cadence.once-per-patient-days}. */
    public static final int CADENCE_DAYS = 90;
    /** Default of {@code attribution.booked-within-days}. */
    public static final int BOOKED_WITHIN_DAYS = 14;
    /** Default of {@code attribution.replied-within-days}. */
    public static final int REPLIED_WITHIN_DAYS = 7;
    private static final List<Channel> DEFAULT_CHANNELS = List.of(Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);

    private final TemplateSet templates;
    private final String language;
    private final Set<String> procedures;

    /**
     * @param templates  the templates a campaign may name
     * @param language   {@code ponte.messaging.language}: the template must exist in it
     * @param procedures the procedure codes the store holds, or {@code null} when no store is at hand (then codes
     *                   are checked for their form only)
     */
    public CampaignLoader(TemplateSet templates, String language, Set<String> procedures) {
        this.templates = templates;
        this.language = language;
        this.procedures = procedures == null ? null : Set.copyOf(procedures);
    }

    /** Whether procedure codes are checked against the store's catalog. */
    public boolean checksProcedures() {
        return procedures != null;
    }

    /**
     * One campaign file.
     *
     * @throws CampaignException with every problem of the file
     */
    public Campaign loadFile(Path file) {
        List<MappingProblem> problems = new ArrayList<>();
        Optional<Campaign> c = load(file, problems);
        if (!problems.isEmpty() || c.isEmpty()) {
            throw new CampaignException(problems);
        }
        return c.get();
    }

    /**
     * Every campaign of a folder ({@code *.yaml}), by id; an absent folder holds none.
     *
     * @throws CampaignException with every problem of every file
     */
    public Map<String, Campaign> loadFolder(Path folder) {
        Map<String, Campaign> out = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        List<MappingProblem> problems = new ArrayList<>();
        for (Path f : files(folder)) {
            load(f, problems).ifPresent(c -> out.put(c.id(), c));
        }
        if (!problems.isEmpty()) {
            throw new CampaignException(problems);
        }
        return out;
    }

    /** The campaign files of a folder, sorted. */
    public static List<Path> files(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new CampaignException(List.of(new MappingProblem(folder.toString(), 0, "campaigns",
                    "cannot list the folder: " + e.getMessage())));
        }
    }

    private Optional<Campaign> load(Path path, List<MappingProblem> problems) {
        Problems p = new Problems(path.toString(), problems);
        java.util.regex.Matcher name = FILE.matcher(path.getFileName().toString());
        if (!name.matches()) {
            p.add(0, "file name", "a campaign file is named <id>.yaml, e.g. botox-retouch.yaml (lower case, digits "
                    + "and -)");
            return Optional.empty();
        }
        Node root = compose(path, p);
        if (root == null) {
            return Optional.empty();
        }
        if (!(root instanceof MappingNode map)) {
            p.add(line(root), "file", "a campaign is a YAML mapping with campaign, version, trigger and template");
            return Optional.empty();
        }
        int before = problems.size();
        Map<String, NodeTuple> top = entries(map, TOP, "", p);
        String id = text(top, "campaign", map, p, true);
        if (id != null && !id.equals(name.group(1))) {
            p.add(line(top.get("campaign").getValueNode()), "campaign", "'" + id + "' must be the file's name, "
                    + name.group(1) + " (rename the file or the campaign)");
        }
        Integer version = integer(top, "version", map, p, 1, Integer.MAX_VALUE, null, true);
        String description = text(top, "description", map, p, false);
        Campaign.Trigger trigger = trigger(top.get("trigger"), map, p);
        Campaign.Audience audience = audience(top.get("audience"), p);
        List<Channel> channels = channels(top.get("channels"), p);
        String template = text(top, "template", map, p, true);
        if (template != null) {
            checkTemplate(template, channels, top.get("template"), p);
        }
        SendWindow window = window(top.get("window"), p);
        Map<String, NodeTuple> cadenceKeys = top.containsKey("cadence")
                ? mapping(top.get("cadence"), CADENCE, "cadence.", p) : Map.of();
        Node cadenceNode = top.containsKey("cadence") ? top.get("cadence").getValueNode() : map;
        int cadence = orDefault(integer(cadenceKeys, "once-per-patient-days", cadenceNode, p, 1, 3650, "cadence.",
                false), CADENCE_DAYS);
        Map<String, NodeTuple> attribution = top.containsKey("attribution")
                ? mapping(top.get("attribution"), ATTRIBUTION, "attribution.", p) : Map.of();
        Node attrNode = top.containsKey("attribution") ? top.get("attribution").getValueNode() : map;
        int booked = orDefault(integer(attribution, "booked-within-days", attrNode, p, 1, 365,
                "attribution.", false), BOOKED_WITHIN_DAYS);
        int replied = orDefault(integer(attribution, "replied-within-days", attrNode, p, 1, 365,
                "attribution.", false), REPLIED_WITHIN_DAYS);
        if (problems.size() > before || id == null || version == null || trigger == null || template == null
                || window == null) {
            return Optional.empty();
        }
        return Optional.of(new Campaign(id, version, description == null ? "" : description, trigger, audience,
                template, channels, window, cadence, booked, replied, path.toString()));
    }

    private static int orDefault(Integer v, int def) {
        return v == null ? def : v;
    }

    private Campaign.Trigger trigger(NodeTuple t, Node parent, Problems p) {
        if (t == null) {
            p.add(line(parent), "trigger", "missing; one of " + TRIGGERS);
            return null;
        }
        if (!(t.getValueNode() instanceof MappingNode m) || m.getValue().size() != 1) {
            p.add(line(t.getValueNode()), "trigger", "must be a mapping with exactly one of " + TRIGGERS
                    + ", e.g. {no-visit: {days: 180}}");
            return null;
        }
        Map<String, NodeTuple> kinds = entries(m, TRIGGERS, "trigger.", p);
        if (kinds.isEmpty()) {
            return null;
        }
        Map.Entry<String, NodeTuple> e = kinds.entrySet().iterator().next();
        String where = "trigger." + e.getKey() + ".";
        Node value = e.getValue().getValueNode();
        switch (e.getKey()) {
            case "birthday" -> {
                mapping(e.getValue(), List.of(), where, p);
                return new Campaign.Birthday();
            }
            case "days-after-procedure" -> {
                Map<String, NodeTuple> o = mapping(e.getValue(), AFTER_PROCEDURE, where, p);
                Integer days = integer(o, "days", value, p, 1, 3650, where, true);
                int catchUp = orDefault(integer(o, "catch-up-days", value, p, 0, 365, where, false),
                        CATCH_UP_DAYS);
                String procedure = text(o, "procedure", value, p, false);
                String kindText = text(o, "kind", value, p, false);
                if ((procedure == null) == (kindText == null)) {
                    p.add(line(value), where + "procedure", "give either procedure (a procedure code such as P003) "
                            + "or kind (" + Arrays.toString(ProcedureKind.values()) + "), not both and not neither");
                    return null;
                }
                ProcedureKind kind = null;
                if (kindText != null) {
                    kind = enumValue(ProcedureKind.class, kindText, o.get("kind").getValueNode(), where + "kind", p);
                    if (kind == null) {
                        return null;
                    }
                } else if (!procedure(procedure, o.get("procedure").getValueNode(), where + "procedure", p)) {
                    return null;
                }
                return days == null ? null : new Campaign.DaysAfterProcedure(procedure, kind, days, catchUp);
            }
            case "package-ended" -> {
                Map<String, NodeTuple> o = mapping(e.getValue(), DAYS_KEYS, where, p);
                int days = orDefault(integer(o, "days", value, p, 0, 3650, where, false), 0);
                int catchUp = orDefault(integer(o, "catch-up-days", value, p, 0, 365, where, false),
                        CATCH_UP_DAYS);
                return new Campaign.PackageEnded(days, catchUp);
            }
            default -> {
                Map<String, NodeTuple> o = mapping(e.getValue(), DAYS_KEYS, where, p);
                Integer days = integer(o, "days", value, p, 1, 3650, where, true);
                int catchUp = orDefault(integer(o, "catch-up-days", value, p, 0, 365, where, false),
                        CATCH_UP_DAYS);
                return days == null ? null : new Campaign.NoVisit(days, catchUp);
            }
        }
    }

    private Campaign.Audience audience(NodeTuple t, Problems p) {
        if (t == null) {
            return Campaign.Audience.everyone();
        }
        Map<String, NodeTuple> o = mapping(t, AUDIENCE, "audience.", p);
        Node node = t.getValueNode();
        Integer min = integer(o, "min-age", node, p, 0, 130, "audience.", false);
        Integer max = integer(o, "max-age", node, p, 0, 130, "audience.", false);
        if (min != null && max != null && min > max) {
            p.add(line(o.get("max-age").getValueNode()), "audience.max-age", "is below min-age (" + min + ")");
        }
        Set<Sex> sexes = EnumSet.noneOf(Sex.class);
        for (Node n : list(o.get("sex"), "audience.sex", p)) {
            Sex s = enumValue(Sex.class, scalar(n), n, "audience.sex", p);
            if (s != null) {
                sexes.add(s);
            }
        }
        Set<String> units = new LinkedHashSet<>();
        for (Node n : list(o.get("units"), "audience.units", p)) {
            String u = scalar(n);
            if (u == null || u.isBlank() || u.length() > 64) {
                p.add(line(n), "audience.units", "a unit is its canonical id (Patient.unitId), 1 to 64 characters");
            } else {
                units.add(u);
            }
        }
        Set<String> ever = new LinkedHashSet<>();
        for (Node n : list(o.get("procedures-ever"), "audience.procedures-ever", p)) {
            String code = scalar(n);
            if (procedure(code, n, "audience.procedures-ever", p)) {
                ever.add(code);
            }
        }
        Boolean exclude = bool(o, "exclude-with-future-appointment", p, "audience.");
        return new Campaign.Audience(min, max, sexes, units, ever, exclude == null || exclude);
    }

    private List<Channel> channels(NodeTuple t, Problems p) {
        if (t == null) {
            return DEFAULT_CHANNELS;
        }
        List<Channel> out = new ArrayList<>();
        List<Node> items = list(t, "channels", p);
        if (items.isEmpty() && t.getValueNode() instanceof SequenceNode) {
            p.add(line(t.getValueNode()), "channels", "name at least one channel: whatsapp, sms, email");
        }
        for (Node n : items) {
            Channel ch = enumValue(Channel.class, scalar(n), n, "channels", p);
            if (ch != null && out.contains(ch)) {
                p.add(line(n), "channels", ch.name().toLowerCase(Locale.ROOT) + " is listed twice");
            } else if (ch != null) {
                out.add(ch);
            }
        }
        return out.isEmpty() ? DEFAULT_CHANNELS : List.copyOf(out);
    }

    private void checkTemplate(String id, List<Channel> channels, NodeTuple t, Problems p) {
        int at = line(t.getValueNode());
        Optional<Template> found = templates.find(id, language, language);
        if (found.isEmpty()) {
            p.add(at, "template", "no template '" + id + "' in " + language + near(id, templates.all().stream()
                    .map(Template::id).distinct().toList()) + "; add " + id + "." + language
                    + ".yaml to the template folder (purpose: recall)");
            return;
        }
        if (found.get().purpose() != MessagePurpose.RECALL) {
            p.add(at, "template", "'" + id + "' is a " + found.get().purpose().id() + " template; a campaign sends "
                    + "recalls (purpose: recall, which needs the patient's MARKETING consent)");
        }
        List<Channel> unserved = channels.stream().filter(ch -> !found.get().channels().contains(ch)).toList();
        if (unserved.size() == channels.size()) {
            p.add(at, "template", "'" + id + "' is for " + found.get().channels() + ", none of the campaign's "
                    + "channels " + channels);
        }
    }

    private SendWindow window(NodeTuple t, Problems p) {
        if (t == null) {
            return SendWindow.defaults();
        }
        Map<String, NodeTuple> o = mapping(t, WINDOW, "window.", p);
        SendWindow def = SendWindow.defaults();
        Set<DayOfWeek> days = def.days();
        if (o.containsKey("days")) {
            days = EnumSet.noneOf(DayOfWeek.class);
            List<Node> items = list(o.get("days"), "window.days", p);
            if (items.isEmpty() && o.get("days").getValueNode() instanceof SequenceNode) {
                p.add(line(o.get("days").getValueNode()), "window.days", "name at least one day, e.g. [MON, TUE]");
                return null;
            }
            for (Node n : items) {
                DayOfWeek d = day(scalar(n));
                if (d == null) {
                    p.add(line(n), "window.days", "'" + scalar(n) + "' is not a day; use MON, TUE, WED, THU, FRI, "
                            + "SAT, SUN");
                } else {
                    days.add(d);
                }
            }
        }
        LocalTime from = time(o, "from", def.from(), p);
        LocalTime to = time(o, "to", def.to(), p);
        if (from == null || to == null || days.isEmpty()) {
            return null;
        }
        if (!from.isBefore(to)) {
            p.add(line(o.containsKey("to") ? o.get("to").getValueNode() : t.getValueNode()), "window.to",
                    "must be after window.from (" + from + "); a window is within one day, e.g. 09:00 to 18:00");
            return null;
        }
        return new SendWindow(days, from, to);
    }

    private static LocalTime time(Map<String, NodeTuple> o, String key, LocalTime def, Problems p) {
        NodeTuple t = o.get(key);
        if (t == null) {
            return def;
        }
        String v = scalar(t.getValueNode());
        if (v == null || !TIME.matcher(v).matches()) {
            p.add(line(t.getValueNode()), "window." + key, "'" + v + "' is not a time HH:mm (clinic time, 24 hours),"
                    + " e.g. \"09:00\"");
            return null;
        }
        try {
            return LocalTime.parse(v);
        } catch (DateTimeParseException e) {
            p.add(line(t.getValueNode()), "window." + key, "'" + v + "' is not a time HH:mm");
            return null;
        }
    }

    private static DayOfWeek day(String v) {
        if (v == null) {
            return null;
        }
        String u = v.strip().toUpperCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().equals(u) || d.name().substring(0, 3).equals(u)) {
                return d;
            }
        }
        return null;
    }

    private boolean procedure(String code, Node at, String key, Problems p) {
        if (code == null || !CODE.matcher(code).matches()) {
            p.add(line(at), key, "'" + code + "' is not a procedure code (1 to 20 characters, no spaces, such as "
                    + "P003)");
            return false;
        }
        if (procedures != null && !procedures.contains(code)) {
            p.add(line(at), key, "no procedure '" + code + "' in the hub's catalog" + near(code,
                    List.copyOf(procedures)));
            return false;
        }
        return true;
    }

    // --- typed reads: each wrong type is a problem naming the key

    private static <E extends Enum<E>> E enumValue(Class<E> type, String v, Node at, String key, Problems p) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList();
        if (v != null) {
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.strip())) {
                    return e;
                }
            }
        }
        p.add(line(at), key, "'" + v + "' is not one of " + names + near(v, names));
        return null;
    }

    private static String text(Map<String, NodeTuple> o, String key, Node parent, Problems p, boolean required) {
        NodeTuple t = o.get(key);
        if (t == null) {
            if (required) {
                p.add(line(parent), key, "missing");
            }
            return null;
        }
        String v = scalar(t.getValueNode());
        if (v == null || v.isBlank()) {
            p.add(line(t.getValueNode()), key, "must be text");
            return null;
        }
        if (v.length() > 1000) {
            p.add(line(t.getValueNode()), key, "longer than 1000 characters");
            return null;
        }
        return v.strip();
    }

    private static Integer integer(Map<String, NodeTuple> o, String key, Node parent, Problems p, int min, int max,
                                   String prefix, boolean required) {
        String where = (prefix == null ? "" : prefix) + key;
        NodeTuple t = o.get(key);
        if (t == null) {
            if (required) {
                p.add(line(parent), where, "missing: a whole number from " + min + " to " + max);
            }
            return null;
        }
        String v = scalar(t.getValueNode());
        try {
            if (v == null || !v.strip().matches("\\d{1,9}")) {
                throw new NumberFormatException();
            }
            int n = Integer.parseInt(v.strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            p.add(line(t.getValueNode()), where, "'" + (v == null ? "(not a value)" : v) + "' must be a whole number "
                    + "from " + min + " to " + max);
            return null;
        }
    }

    private static Boolean bool(Map<String, NodeTuple> o, String key, Problems p, String prefix) {
        NodeTuple t = o.get(key);
        if (t == null) {
            return null;
        }
        String v = scalar(t.getValueNode());
        if ("true".equals(v)) {
            return true;
        }
        if ("false".equals(v)) {
            return false;
        }
        p.add(line(t.getValueNode()), prefix + key, "'" + v + "' must be true or false");
        return null;
    }

    private static List<Node> list(NodeTuple t, String key, Problems p) {
        if (t == null) {
            return List.of();
        }
        if (t.getValueNode() instanceof SequenceNode s) {
            List<Node> out = new ArrayList<>();
            for (Node n : s.getValue()) {
                if (n instanceof ScalarNode) {
                    out.add(n);
                } else {
                    p.add(line(n), key, "each item must be a single value");
                }
            }
            return out;
        }
        p.add(line(t.getValueNode()), key, "must be a list, e.g. [a, b]");
        return List.of();
    }

    /** The entries of a section that must be a mapping (an empty {@code {}} or nothing is one). */
    private static Map<String, NodeTuple> mapping(NodeTuple t, List<String> keys, String prefix, Problems p) {
        Node n = t.getValueNode();
        if (n instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
            return Map.of(); // "birthday:" with nothing after it
        }
        if (!(n instanceof MappingNode m)) {
            p.add(line(n), prefix.isEmpty() ? "(file)" : prefix.substring(0, prefix.length() - 1), "must be a mapping"
                    + (keys.isEmpty() ? ", {}" : " with " + keys));
            return Map.of();
        }
        return entries(m, keys, prefix, p);
    }

    private static Map<String, NodeTuple> entries(MappingNode map, List<String> keys, String prefix, Problems p) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String k = scalar(t.getKeyNode());
            if (k == null || !keys.contains(k)) {
                p.add(line(t.getKeyNode()), prefix + k, "unknown key; known: " + (keys.isEmpty() ? "none" : keys)
                        + near(k, keys));
            } else if (out.containsKey(k)) {
                // composing does not refuse duplicate keys (only SnakeYAML's constructor would): the loader does
                p.add(line(t.getKeyNode()), prefix + k, "given twice (also on line " + line(out.get(k).getKeyNode())
                        + "); keep one");
            } else {
                out.put(k, t);
            }
        }
        return out;
    }

    private static Node compose(Path path, Problems p) {
        try {
            if (Files.size(path) > MAX_BYTES) {
                p.add(0, "file", "larger than " + MAX_BYTES / 1024 + " KiB; a campaign is a short file");
                return null;
            }
            try (Reader r = new java.io.InputStreamReader(Files.newInputStream(path), StandardCharsets.UTF_8
                    .newDecoder().onMalformedInput(CodingErrorAction.REPORT))) {
                LoaderOptions options = new LoaderOptions();
                options.setAllowDuplicateKeys(false);
                options.setMaxAliasesForCollections(10);
                options.setNestingDepthLimit(20);
                options.setCodePointLimit((int) MAX_BYTES);
                Node root = new Yaml(new SafeConstructor(options)).compose(r);
                if (root == null) {
                    p.add(0, "file", "empty; a campaign is a YAML mapping with campaign, version, trigger and "
                            + "template");
                }
                return root;
            }
        } catch (CharacterCodingException e) {
            p.add(0, "file", "not UTF-8; save the file as UTF-8");
        } catch (IOException e) {
            p.add(0, "file", "cannot be read: " + e.getMessage());
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            p.add(e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1, "yaml", "not valid YAML: "
                    + e.getProblem());
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            p.add(0, e.getCause() instanceof CharacterCodingException ? "file" : "yaml",
                    e.getCause() instanceof CharacterCodingException ? "not UTF-8; save the file as UTF-8"
                            : "not valid YAML: " + e.getMessage());
        }
        return null;
    }

    private static String near(String value, List<String> known) {
        if (value == null) {
            return "";
        }
        return known.stream().map(k -> Map.entry(k, EditDistance.between(k.toLowerCase(Locale.ROOT),
                        value.toLowerCase(Locale.ROOT))))
                .filter(e -> e.getValue() > 0 && e.getValue() <= Math.max(1, Math.min(2, (value.length() + 1) / 2)))
                .min(Comparator.comparingInt(Map.Entry::getValue))
                .map(e -> "; did you mean " + e.getKey() + "?").orElse("");
    }

    private static String scalar(Node n) {
        return n instanceof ScalarNode s && !Tag.NULL.equals(s.getTag()) ? s.getValue() : null;
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }

    /** The problems of one file. */
    private record Problems(String file, List<MappingProblem> list) {
        void add(int line, String key, String message) {
            list.add(new MappingProblem(file, line, key, message));
        }
    }
}
