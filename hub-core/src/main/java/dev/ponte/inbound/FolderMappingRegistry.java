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
        try {
            current = MappingSet.load(folder, loader);
            LOG.info("mappings in {} reloaded: {}", folder, current.inReferenceOrder().stream().map(Mapping::id).toList());
        } catch (MappingException e) {
            LOG.error("changed mappings in {} refused, the previous versions stay in force:\n{}", folder, e.getMessage());
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
