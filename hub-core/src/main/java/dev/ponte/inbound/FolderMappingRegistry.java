package dev.ponte.inbound;

import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingException;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.mapping.MappingSet;
import dev.ponte.source.ExportFiles;
import dev.ponte.spi.Mappings;
import dev.ponte.spi.SourceMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The mappings of a folder, reloaded when a file in it changes. A changed set that fails its checks is refused (the
 * problems are logged) and the previous set stays in force, so a typo never stops the hub. Thread safe.
 */
public final class FolderMappingRegistry implements MappingRegistry, Mappings {

    private static final Logger LOG = LoggerFactory.getLogger(FolderMappingRegistry.class);

    private final Path folder;
    private final MappingLoader loader;
    private volatile MappingSet current;
    private volatile FileTime loadedVersion;
    private volatile Refusal refusal;
    private volatile MappingChanges listener;

    /** A change of the folder that was refused, and why; the previous set stayed in force. */
    public record Refusal(java.time.Instant at, List<dev.ponte.mapping.MappingProblem> problems) {
    }

    /**
     * Loads the folder now.
     *
     * @throws MappingException when the mappings do not load at start-up (nothing to fall back to)
     */
    public FolderMappingRegistry(Path folder, MappingLoader loader) {
        this.folder = folder;
        this.loader = loader;
        this.loadedVersion = newest();
        this.current = MappingSet.load(folder, loader);
    }

    @Override
    public Path folder() {
        return folder;
    }

    /**
     * Tells {@code changes} about the set in force now (and a refused change, if the last change was refused), then
     * about every later change. One listener; a later call replaces it.
     */
    public synchronized void listen(MappingChanges changes) {
        this.listener = changes;
        changes.accepted(folder, current);
        Refusal r = refusal;
        if (r != null) {
            changes.refused(folder, r.problems());
        }
    }

    /** The last change of the folder, if it was refused (empty once a later change is accepted). */
    public java.util.Optional<Refusal> refusal() {
        reloadIfChanged();
        return java.util.Optional.ofNullable(refusal);
    }

    /** The set in force (reloaded first if a file changed). */
    public MappingSet set() {
        reloadIfChanged();
        return current;
    }

    @Override
    public Optional<Mapping> mapping(String name) {
        return set().inReferenceOrder().stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Override
    public List<SourceMapping> forFile(String fileName) {
        return set().forFile(fileName).stream().<SourceMapping>map(SourceMappingView::new).toList();
    }

    @Override
    public List<SourceMapping> inReferenceOrder() {
        return set().inReferenceOrder().stream().<SourceMapping>map(SourceMappingView::new).toList();
    }

    @Override
    public long read(Path file, SourceMapping mapping, int chunkSize, ChunkConsumer consumer) throws Exception {
        Mapping m = mapping instanceof SourceMappingView v ? v.mapping() : mapping(mapping.name()).orElseThrow(
                () -> new dev.ponte.source.SourceException(file + ": mapping " + mapping.id() + " is no longer in "
                        + folder));
        return ExportFiles.readChunks(file, m, chunkSize, consumer::accept);
    }

    private synchronized void reloadIfChanged() {
        FileTime newest = newest();
        if (newest.compareTo(loadedVersion) <= 0) {
            return;
        }
        loadedVersion = newest;
        MappingChanges changes = listener;
        try {
            current = MappingSet.load(folder, loader);
            refusal = null;
            LOG.info("mappings in {} reloaded: {}", folder, current.inReferenceOrder().stream().map(Mapping::id).toList());
            if (changes != null) {
                changes.accepted(folder, current);
            }
        } catch (MappingException e) {
            refusal = new Refusal(java.time.Instant.now(), e.problems());
            LOG.error("changed mappings in {} refused, the previous versions stay in force "
                    + "(bin/ponte status shows this too):\n{}", folder, e.getMessage());
            if (changes != null) {
                changes.refused(folder, e.problems());
            }
        }
    }

    private FileTime newest() {
        try (Stream<Path> files = Files.walk(folder, 2)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.getLastModifiedTime(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).max(FileTime::compareTo).orElse(FileTime.fromMillis(0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mappings folder " + folder, e);
        }
    }
}
