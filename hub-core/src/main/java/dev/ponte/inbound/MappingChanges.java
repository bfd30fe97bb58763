package dev.ponte.inbound;

import dev.ponte.mapping.MappingProblem;
import dev.ponte.mapping.MappingSet;

import java.nio.file.Path;
import java.util.List;

/**
 * Told what a mapping folder's set became ({@link FolderMappingRegistry#listen}): the set in force at start and
 * after each accepted change, and each refused change with its problems. The hub records both in the mapping
 * history; called on the thread that noticed the change, outside any transaction.
 */
public interface MappingChanges {

    /** This set is now in force. */
    void accepted(Path folder, MappingSet set);

    /** A change of the folder was refused; the previous set stays in force. */
    void refused(Path folder, List<MappingProblem> problems);
}
