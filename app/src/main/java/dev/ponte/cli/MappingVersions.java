package dev.ponte.cli;

import dev.ponte.mapping.Mapping;
import dev.ponte.store.MappingHistory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the mapping commands share about recorded versions: picking one by number, and the file as it is now. */
final class MappingVersions {

    private MappingVersions() {
    }

    /** The accepted versions of a mapping in the history of a data directory, oldest first. */
    static List<MappingHistory.Version> load(HubOptions hub, String name) {
        try (dev.ponte.store.Database db = dev.ponte.hub.PonteHub.openDatabase(hub.settings())) {
            return db.inTransaction(c -> MappingHistory.versions(c, name));
        }
    }

    /** The message for a version number the history does not have. */
    static String noSuchVersion(String name, int number, List<MappingHistory.Version> versions) {
        return "mapping '" + name + "' has no version " + number + " in its history (" + numbers(versions)
                + "); see: bin/ponte mapping history " + name;
    }

    /** The version with this number; when the number was recorded with several contents, the last of them. */
    static Optional<MappingHistory.Version> pick(List<MappingHistory.Version> versions, int number) {
        Optional<MappingHistory.Version> out = Optional.empty();
        for (MappingHistory.Version v : versions) {
            if (v.version() == number) {
                out = Optional.of(v);
            }
        }
        return out;
    }

    /** The text a mapping file holds now, or {@code null} when it cannot be read. */
    static String read(String file) {
        try {
            return file == null ? null : Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String hash(String text) {
        return text == null ? null : Mapping.hashOf(text);
    }

    /** "versions: 1, 2, 3", for messages. */
    static String numbers(List<MappingHistory.Version> versions) {
        return "versions recorded: " + versions.stream().map(v -> String.valueOf(v.version())).distinct().toList();
    }
}
