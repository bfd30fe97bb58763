package dev.ponte.connectors.fiscal;

import java.nio.file.Path;

/**
 * The official schema set is not where the configuration says: the folder or one of its files is missing or cannot
 * be compiled. The message names the file, the option to set and where to get the official set.
 */
public final class MissingSchemaException extends IllegalStateException {

    private final transient Path missing;

    MissingSchemaException(Path missing, String message, Throwable cause) {
        super(message, cause);
        this.missing = missing;
    }

    /** The folder or file that is missing or unreadable. */
    public Path missing() {
        return missing;
    }
}
