package dev.ponte.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.SensitiveData;
import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappedRecord;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.mapping.MappingSet;
import dev.ponte.store.Database;
import dev.ponte.store.MappingHistory;
import dev.ponte.source.ExportFiles;
import dev.ponte.source.SourceException;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.validation.Messages;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.Violation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A mapping as an admin edits it, before it is saved: the edited text is checked with every check the hub applies
 * when it loads a mapping folder (glossary, transforms, examples, conflicts with the folder's other mappings), in a
 * temporary copy of the instance's folder (its lookups included), and previewed against a sample, values of sensitive
 * fields masked; saved (or an accepted version rolled back) only when it passes, atomically, audited. The mapping
 * history is the hot reload's: a saved file is recorded as a version when the hub loads it.
 */
final class MappingWorkbench {

    /** Largest sample previewed, in rows. */
    static final int MAX_ROWS = 200;

    private final Map<String, ConnectorContext> connectors;
    private final Clock clock;
    private volatile Tools tools;

    private record Tools(Glossary glossary, RecordValidator validator, MappingLoader loader, Messages messages,
                         SensitiveData masking) {
    }

    MappingWorkbench(Map<String, ConnectorContext> connectors, Clock clock) {
        this.connectors = connectors;
        this.clock = clock;
    }

    /** The glossary and the loader, made at the first use (the glossary takes a moment to load). */
    private Tools tools() {
        Tools t = tools;
        if (t == null) {
            synchronized (this) {
                if (tools == null) {
                    Glossary g = Glossary.loadDefault();
                    RecordValidator v = new RecordValidator(g, clock);
                    tools = new Tools(g, v, new MappingLoader(g, v), new Messages(g), new SensitiveData(g));
                }
                t = tools;
            }
        }
        return t;
    }

    /** Every instance with a mapping folder, and its mappings in reference order. */
    JsonNode list() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        connectors.forEach((name, ctx) -> {
            if (ctx.mappings() instanceof FolderMappingRegistry registry) {
                ObjectNode o = out.addObject().put("instance", name).put("folder", registry.folder().toString());
                ArrayNode list = o.putArray("mappings");
                MappingSet set = registry.set();
                for (Mapping m : set.inReferenceOrder()) {
                    list.addObject().put("id", m.id()).put("target", m.target().getSimpleName())
                            .put("file", set.fileOf(m).map(p -> p.getFileName().toString()).orElse(null))
                            .put("columns", m.columns().size());
                }
                registry.refusal().ifPresent(r -> o.put("refusedChangeAt", r.at().toString()));
            }
        });
        return out;
    }

    /** The accepted versions of a mapping, oldest first, and which of them the file holds now. */
    JsonNode history(Database db, String name) {
        List<MappingHistory.Version> versions = versions(db, name);
        String now = hashOfFile(versions.get(versions.size() - 1).file());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (MappingHistory.Version v : versions) {
            out.addObject().put("version", v.version()).put("acceptedAt", v.acceptedAt().toString()).put("by", v.by())
                    .put("contentHash", v.contentHash()).put("file", v.file())
                    .put("inTheFile", v.contentHash().equals(now));
        }
        return out;
    }

    /** The changed lines between two versions, or a version and the file now ({@code to} null). */
    JsonNode diff(Database db, String name, int from, Integer to) {
        List<MappingHistory.Version> versions = versions(db, name);
        MappingHistory.Version a = pick(versions, name, from);
        String after;
        String label;
        if (to == null) {
            after = readFile(versions.get(versions.size() - 1).file());
            label = "the file now";
        } else {
            after = pick(versions, name, to).content();
            label = "version " + to;
        }
        List<String> lines = LineDiff.of(a.content(), after.startsWith("\uFEFF") ? after.substring(1) : after);
        ObjectNode o = Json.MAPPER.createObjectNode().put("name", name).put("from", "version " + from)
                .put("to", label).put("changed", lines.size());
        lines.forEach(o.putArray("lines")::add);
        return o;
    }

    /** Writes an accepted version back into its file once it passes every check again (audited). */
    ObjectNode rollback(Database db, String name, int version, String actor) {
        List<MappingHistory.Version> versions = versions(db, name);
        MappingHistory.Version chosen = pick(versions, name, version);
        Path file = Path.of(versions.get(versions.size() - 1).file());
        String instance = instanceOf(file.getParent());
        ObjectNode result = save(db, instance, file.getFileName().toString(), chosen.content(), actor,
                "mapping.rollback", "version " + version + " written back");
        result.put("version", version);
        return result;
    }

    /**
     * Writes an edited mapping file into the instance's folder when it passes every check (atomically: the hot reload
     * sees the whole file, records the version in the history, and the inbound path uses it); refused with every
     * problem otherwise, the file unchanged. Audited. One save at a time (each is checked against the folder as the
     * previous one left it).
     */
    synchronized ObjectNode save(Database db, String instance, String file, String text, String actor, String action,
                                 String detail) {
        ObjectNode checked = check(instance, file, text);
        if (!checked.path("valid").asBoolean()) {
            checked.put("saved", false);
            return checked;
        }
        Path target = registry(instance).folder().resolve(file);
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), "." + file + ".", ".saving");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ApiException(409, "cannot write " + target + " (" + e.getClass().getSimpleName()
                    + "): is the mapping folder writable by the hub's user?");
        } finally {
            try {
                if (temporary != null) {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException ignored) {
                // removed at the next save
            }
        }
        // the hub takes it in now (and records the version in the history), not at its next look at the folder
        registry(instance).set();
        db.inTransaction(c -> {
            dev.ponte.store.AuditLog.append(c, actor, action, "mapping/" + checked.path("id").asText(), detail
                    + " into " + target, null, java.time.Instant.now());
            return null;
        });
        checked.put("saved", true).put("file", target.toString());
        return checked;
    }

    private String instanceOf(Path folder) {
        return connectors.entrySet().stream().filter(e -> e.getValue().mappings() instanceof FolderMappingRegistry r
                        && r.folder().toAbsolutePath().normalize().equals(folder.toAbsolutePath().normalize()))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new ApiException(409, "the mapping's file " + folder + " is not the folder of a "
                        + "configured instance any more"));
    }

    private static List<MappingHistory.Version> versions(Database db, String name) {
        if (name == null || name.isBlank()) {
            throw new ApiException(400, "the mapping's name is required, e.g. legacy-clinic/agenda");
        }
        List<MappingHistory.Version> versions = db.inTransaction(c -> MappingHistory.versions(c, name));
        if (versions.isEmpty()) {
            throw new ApiException(404, "no version of mapping '" + name + "' was ever accepted by this hub");
        }
        return versions;
    }

    private static MappingHistory.Version pick(List<MappingHistory.Version> versions, String name, int number) {
        MappingHistory.Version out = null;
        for (MappingHistory.Version v : versions) {
            if (v.version() == number) {
                out = v; // the last content recorded with that number
            }
        }
        if (out == null) {
            throw new ApiException(404, "mapping '" + name + "' has no version " + number + " (versions recorded: "
                    + versions.stream().map(v -> String.valueOf(v.version())).distinct().toList() + ")");
        }
        return out;
    }

    private static String readFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ApiException(409, "cannot read " + file + ": give a second version");
        }
    }

    private static String hashOfFile(String file) {
        try {
            return Mapping.hashOf(Files.readString(Path.of(file), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The text of one mapping file of an instance's folder. */
    JsonNode text(String instance, String file) {
        FolderMappingRegistry registry = registry(instance);
        checkName(file);
        Path f = registry.folder().resolve(file);
        if (!Files.isRegularFile(f)) {
            throw new ApiException(404, "no mapping file " + file + " in " + instance + "'s folder");
        }
        try {
            return Json.MAPPER.createObjectNode().put("instance", instance).put("file", file)
                    .put("text", Files.readString(f, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private FolderMappingRegistry registry(String instance) {
        ConnectorContext ctx = connectors.get(instance);
        if (ctx == null || !(ctx.mappings() instanceof FolderMappingRegistry registry)) {
            throw new ApiException(404, "no connector instance '" + instance + "' with a mapping folder");
        }
        return registry;
    }

    private static void checkName(String file) {
        if (file == null || !file.matches("[A-Za-z0-9._-]+\\.ya?ml") || file.startsWith(".")) {
            throw new ApiException(400, "file '" + file + "': a mapping file name such as pacientes.yaml");
        }
    }

    /**
     * Checks an edited mapping file as the hub would load it in its folder.
     *
     * @return {@code valid}, the mapping's id and target, or every problem with its line
     */
    ObjectNode check(String instance, String file, String text) {
        return withCopy(instance, file, text, (copy, loaded, problems) -> result(loaded, problems));
    }

    /** Checks, then maps the sample's rows (at most {@code limit}, at most {@link #MAX_ROWS}). */
    ObjectNode preview(String instance, String file, String text, String sampleName, String sample, int limit,
                       Locale locale) {
        return withCopy(instance, file, text, (copy, loaded, problems) -> {
            ObjectNode o = result(loaded, problems);
            if (loaded == null) {
                return o;
            }
            Path input = copy.resolve("sample").resolve(sampleName);
            // with a byte-order mark: the text arrived as Unicode, and the hub reads a file with one as UTF-8 whatever
            // encoding the mapping declares for the legacy system's own files
            write(input, "\uFEFF" + (sample == null ? "" : sample));
            ArrayNode rows = o.putArray("rows");
            long[] counts = new long[2];
            try (Stream<MappedRecord> records = ExportFiles.map(input, loaded, tools().validator(),
                    ReferenceCatalog.NONE)) {
                records.limit(Math.max(1, Math.min(limit, MAX_ROWS))).forEach(r -> {
                    counts[r.accepted() ? 0 : 1]++;
                    rows.add(row(r, loaded, locale));
                });
            } catch (SourceException e) {
                o.put("sampleError", e.getMessage());
            }
            o.put("accepted", counts[0]).put("rejected", counts[1]);
            o.put("note", "references to other entities are not checked in a preview; values of sensitive fields"
                    + " are masked");
            return o;
        });
    }

    @FunctionalInterface
    private interface WithCopy {
        ObjectNode apply(Path copy, Mapping loaded, List<MappingProblem> problems) throws IOException;
    }

    private ObjectNode withCopy(String instance, String file, String text, WithCopy work) {
        FolderMappingRegistry registry = registry(instance);
        checkName(file);
        Path copy = null;
        try {
            copy = Files.createTempDirectory("ponte-mapping-");
            copyFolder(registry.folder(), copy);
            Path edited = copy.resolve(file);
            write(edited, text);
            Mapping loaded = null;
            List<MappingProblem> problems;
            try {
                loaded = tools().loader().load(edited);
                Map<Path, Mapping> all = new LinkedHashMap<>();
                try (Stream<Path> siblings = Files.list(copy)) {
                    for (Path p : siblings.filter(p -> p.toString().matches(".*\\.ya?ml")).toList()) {
                        try {
                            all.put(p, p.equals(edited) ? loaded : tools().loader().load(p));
                        } catch (MappingException ignored) {
                            // a sibling already refused is the folder's problem, not this edit's
                        }
                    }
                }
                problems = MappingSet.conflicts(all).stream().filter(p -> p.file().endsWith(file)).toList();
                if (!problems.isEmpty()) {
                    loaded = null;
                }
            } catch (MappingException e) {
                problems = e.problems();
            }
            return work.apply(copy, loaded, problems.stream().map(p -> new MappingProblem(file, p.line(), p.field(),
                    p.message())).toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(copy);
        }
    }

    private static ObjectNode result(Mapping loaded, List<MappingProblem> problems) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("valid", loaded != null && problems.isEmpty());
        if (loaded != null) {
            o.put("id", loaded.id()).put("target", loaded.target().getSimpleName())
                    .put("columns", loaded.columns().size());
        }
        ArrayNode list = o.putArray("problems");
        problems.forEach(p -> list.addObject().put("file", p.file()).put("line", p.line()).put("field", p.field())
                .put("message", p.message()));
        return o;
    }

    private JsonNode row(MappedRecord r, Mapping mapping, Locale locale) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("line", r.line()).put("key", r.sourceKey()).put("status", r.accepted() ? "ok" : "rejected");
        if (r.accepted()) {
            o.set("entity", tools().masking().mask(mapping.target().getSimpleName(),
                    Json.MAPPER.valueToTree(r.entity())));
        } else {
            o.putNull("entity");
        }
        ArrayNode violations = o.putArray("violations");
        for (Violation v : r.violations()) {
            // the rule, field and message; never the value (it may be personal data)
            violations.addObject().put("path", v.path()).put("sourceField", v.sourceField()).put("rule", v.rule())
                    .put("message", tools().messages().render(v, locale));
        }
        return o;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text == null ? "" : text, StandardCharsets.UTF_8);
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
