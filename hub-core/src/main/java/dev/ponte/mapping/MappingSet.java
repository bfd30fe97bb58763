package dev.ponte.mapping;

import dev.ponte.model.References;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The mappings of one source system, loaded from a folder (one YAML file per source shape; lookup tables live in a
 * sub-folder and are not mappings). Knows which mapping reads which file and in which order files must be read so
 * that referenced entities (patients, procedures) are known before the records that point at them.
 */
public final class MappingSet {

    private final List<Mapping> mappings;

    public MappingSet(List<Mapping> mappings) {
        List<Mapping> sorted = new ArrayList<>(mappings);
        sorted.sort(Comparator.comparingInt((Mapping m) -> referenceDepth(m.target(), new HashSet<>()))
                .thenComparing(Mapping::name));
        this.mappings = List.copyOf(sorted);
    }

    /**
     * Loads every {@code *.yaml} directly in {@code folder}.
     *
     * @throws MappingException with the problems of every refused file together
     */
    public static MappingSet load(Path folder, MappingLoader loader) {
        List<Mapping> loaded = new ArrayList<>();
        List<MappingProblem> problems = new ArrayList<>();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && Files.isRegularFile(f)).sorted().toList()) {
                try {
                    loaded.add(loader.load(file));
                } catch (MappingException e) {
                    problems.addAll(e.problems());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list mappings in " + folder, e);
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems);
        }
        return new MappingSet(loaded);
    }

    /** Mappings in reference order: an entity's mapping comes after the mappings of the entities it refers to. */
    public List<Mapping> inReferenceOrder() {
        return mappings;
    }

    /** The mapping whose {@code source.file} pattern matches this file name. */
    public Optional<Mapping> forFile(String fileName) {
        for (Mapping m : mappings) {
            String pattern = m.source().file();
            if (pattern != null) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                if (matcher.matches(Path.of(fileName))) {
                    return Optional.of(m);
                }
            }
        }
        return Optional.empty();
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
