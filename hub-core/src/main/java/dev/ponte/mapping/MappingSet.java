package dev.ponte.mapping;

import dev.ponte.model.References;
import dev.ponte.spi.SourceReadException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The mappings of one source system, loaded from a folder (one YAML file per source shape; lookup tables live in a
 * sub-folder and are not mappings). Knows which mapping reads which file and in which order files must be read so
 * that referenced entities (patients, procedures) are known before the records that point at them.
 */
public final class MappingSet {

    private final List<Mapping> mappings;
    private final Map<Mapping, Path> files = new java.util.IdentityHashMap<>();

    public MappingSet(List<Mapping> mappings) {
        List<Mapping> sorted = new ArrayList<>(mappings);
        sorted.sort(Comparator.comparingInt((Mapping m) -> referenceDepth(m.target(), new HashSet<>()))
                .thenComparing(Mapping::name));
        this.mappings = List.copyOf(sorted);
    }

    /**
     * Loads every {@code *.yaml} directly in {@code folder}, then refuses the set if two mappings are ambiguous
     * together ({@link #conflicts}).
     *
     * @throws MappingException with the problems of every refused file together
     */
    public static MappingSet load(Path folder, MappingLoader loader) {
        Map<Path, Mapping> loaded = new LinkedHashMap<>();
        List<MappingProblem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList()) {
                try {
                    loaded.put(file, loader.load(file));
                } catch (MappingException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list mappings in " + folder, e);
        }
        problems.addAll(conflicts(loaded));
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        MappingSet set = new MappingSet(List.copyOf(loaded.values()));
        loaded.forEach((file, m) -> set.files.put(m, file));
        return set;
    }

    /**
     * What makes mappings that each load ambiguous together: two with the same name (which one is
     * {@code name@version}?), or two that produce the same entity from the same file pattern or table (which one is
     * the record?). Several entities from one file are fine: each mapping is one entity with its own key.
     */
    public static List<MappingProblem> conflicts(Map<Path, Mapping> mappings) {
        List<MappingProblem> out = new ArrayList<>();
        List<Map.Entry<Path, Mapping>> all = new ArrayList<>(mappings.entrySet());
        for (int i = 0; i < all.size(); i++) {
            for (int j = 0; j < i; j++) {
                Mapping a = all.get(j).getValue();
                Mapping b = all.get(i).getValue();
                Path file = all.get(i).getKey();
                String other = all.get(j).getKey().getFileName().toString();
                if (a.name().equals(b.name())) {
                    out.add(new MappingProblem(file.toString(), 1, "mapping", "'" + b.name() + "' is also the name of "
                            + other + "; every mapping of a folder needs its own name"));
                } else if (a.target() == b.target() && sameSource(a.source(), b.source())) {
                    String source = b.source().file() != null ? "file '" + b.source().file() + "'"
                            : "table '" + b.source().table() + "'";
                    out.add(new MappingProblem(file.toString(), 1, "target", "both " + other + " and this file map "
                            + source + " to " + b.target().getSimpleName() + ": ambiguous. Keep one, or give each its"
                            + " own source.file pattern"));
                }
            }
        }
        return out;
    }

    private static boolean sameSource(SourceOptions a, SourceOptions b) {
        if (a.file() != null && b.file() != null) {
            return a.file().equals(b.file()) || globMatches(a.file(), b.file()) || globMatches(b.file(), a.file());
        }
        return a.table() != null && a.table().equalsIgnoreCase(String.valueOf(b.table()));
    }

    private static boolean globMatches(String pattern, String name) {
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + pattern).matches(Path.of(name));
        } catch (RuntimeException e) { // a pattern is not a valid name (has * itself): not comparable this way
            return false;
        }
    }

    /** The file a mapping of this set was loaded from, if it was loaded from a folder. */
    public java.util.Optional<Path> fileOf(Mapping mapping) {
        return java.util.Optional.ofNullable(files.get(mapping));
    }

    /** Mappings in reference order: an entity's mapping comes after the mappings of the entities it refers to. */
    public List<Mapping> inReferenceOrder() {
        return mappings;
    }

    /**
     * The mappings whose {@code source.file} pattern matches this file name, in reference order.
     *
     * @throws SourceReadException when two of them produce the same entity (patterns that overlap in a way the set's
     *                         {@link #conflicts check} cannot see): the file is not read rather than read twice
     */
    public List<Mapping> forFile(String fileName) {
        List<Mapping> out = new ArrayList<>();
        for (Mapping m : mappings) {
            String pattern = m.source().file();
            if (pattern != null && globMatches(pattern, fileName)) {
                for (Mapping earlier : out) {
                    if (earlier.target() == m.target()) {
                        throw new SourceReadException(fileName + ": both mappings " + earlier.id() + " and " + m.id()
                                + " read it as " + m.target().getSimpleName() + "; narrow one of their source.file"
                                + " patterns so that one mapping reads each entity of a file");
                    }
                }
                out.add(m);
            }
        }
        return out;
    }

    /** 0 for entities that refer to nothing; otherwise one more than the deepest entity referred to. */
    static int referenceDepth(Class<?> type, Set<Class<?>> visiting) {
        if (!type.isRecord() || !visiting.add(type)) {
            return 0;
        }
        int depth = 0;
        for (RecordComponent rc : type.getRecordComponents()) {
            References ref = rc.getAnnotation(References.class);
            if (ref != null && ref.value() != type) {
                depth = Math.max(depth, 1 + referenceDepth(ref.value(), visiting));
            }
        }
        visiting.remove(type);
        return depth;
    }
}
