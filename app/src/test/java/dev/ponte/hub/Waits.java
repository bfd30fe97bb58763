package dev.ponte.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a running hub and its inbox look like, for the message of a wait that gives up: the tests wait with
 * Awaitility ({@code await("what").atMost(...).untilAsserted(() -> assertThat(seen).as(() -> ... + hubState(hub))
 * ...)}) and these say what was seen. Cheap queries: they run on every poll that does not yet see the condition.
 */
final class Waits {

    private Waits() {
    }

    /** The imports' files with rows done / total, the open dead letters by class and rules, the unpublished events. */
    static String hubState(PonteHub hub) {
        try {
            return hub.database().inTransaction(c -> "imports " + rows(c, "select f.file_name || ' '"
                    + " || f.rows_done || '/' || coalesce(cast(f.rows_total as varchar), '?') from import_file f"
                    + " join import_run r on r.id = f.run_id order by r.started_at, f.file_name")
                    + "; open dead letters " + rows(c, "select error_class || ' ' || rules || ' x' || count(*)"
                    + " from dead_letter where status = 'OPEN' group by error_class, rules order by 1")
                    + "; unpublished events " + rows(c, "select count(*) from event where published = false"));
        } catch (RuntimeException e) {
            return "(the hub's state could not be read: " + e.getMessage() + ")";
        }
    }

    /** The files in an inbox and in its {@code done/} and {@code failed/} folders. */
    static String inbox(Path inbox) {
        return "inbox " + names(inbox) + ", done/ " + names(inbox.resolve("done")) + ", failed/ "
                + names(inbox.resolve("failed"));
    }

    private static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("(cannot list: " + e + ")");
        }
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
