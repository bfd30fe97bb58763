package dev.ponte.store;

import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingProblem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The history of the mappings (table {@code mapping_history}): each accepted version of a mapping once, with who
 * loaded it, when, its content hash and the file's text; and each refused change of a folder with its problems.
 */
public final class MappingHistory {

    /** An accepted version of a mapping. */
    public record Version(String name, int version, String contentHash, String file, String content,
                          Instant acceptedAt, String by) {
    }

    /** A refused change of a folder. */
    public record Refusal(String folder, Instant at, String problems) {
    }

    private MappingHistory() {
    }

    /** Records a loaded mapping as accepted, unless this very content of it is already recorded. */
    public static boolean accepted(Connection c, String folder, String file, Mapping m, String by, Instant now)
            throws SQLException {
        if (m.text() == null) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from mapping_history where name = ? and"
                + " content_hash = ? and outcome = 'ACCEPTED'")) {
            ps.setString(1, m.name());
            ps.setString(2, m.contentHash());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        insert(c, folder, file, m.name(), m.version(), m.contentHash(), m.text(), "ACCEPTED", null, by, now);
        return true;
    }

    /**
     * The folder's set loaded: ends a refusal recorded before (the bad file was fixed or reverted to a version
     * already in the history, which records nothing new by itself).
     */
    public static void acceptedFolder(Connection c, String folder, String by, Instant now) throws SQLException {
        if (lastRefusal(c, folder).isPresent()) {
            insert(c, folder, null, null, null, null, null, "LOADED", null, by, now);
        }
    }

    /** Records a refused change of a folder, unless the folder's last entry is this same refusal. */
    public static void refused(Connection c, String folder, List<MappingProblem> problems, String by, Instant now)
            throws SQLException {
        String text = problems.stream().map(MappingProblem::toString).collect(Collectors.joining("\n"));
        Optional<Refusal> last = lastRefusal(c, folder);
        if (last.isPresent() && last.get().problems().equals(text)) {
            return;
        }
        insert(c, folder, problems.isEmpty() ? null : problems.get(0).file(), null, null, null, null, "REFUSED", text,
                by, now);
    }

    /** The folder's last refused change, when nothing was accepted for the folder after it. */
    public static Optional<Refusal> lastRefusal(Connection c, String folder) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select outcome, problems, happened_at from mapping_history"
                + " where folder = ? order by id desc fetch first 1 rows only")) {
            ps.setString(1, DeadLetters.fit(folder, 500));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && "REFUSED".equals(rs.getString(1))) {
                    return Optional.of(new Refusal(folder, rs.getTimestamp(3).toInstant(), rs.getString(2)));
                }
            }
        }
        return Optional.empty();
    }

    /** Every folder whose last change was refused. */
    public static List<Refusal> refusals(Connection c) throws SQLException {
        List<String> folders = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select distinct folder from mapping_history order by folder");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                folders.add(rs.getString(1));
            }
        }
        List<Refusal> out = new ArrayList<>();
        for (String f : folders) {
            lastRefusal(c, f).ifPresent(out::add);
        }
        return out;
    }

    /** The accepted versions of a mapping, oldest first. */
    public static List<Version> versions(Connection c, String name) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select name, version, content_hash, file, content, happened_at,"
                + " by_user from mapping_history where name = ? and outcome = 'ACCEPTED' order by id")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Version(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getTimestamp(6).toInstant(), rs.getString(7)));
                }
            }
        }
        return out;
    }

    private static void insert(Connection c, String folder, String file, String name, Integer version, String hash,
                               String content, String outcome, String problems, String by, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into mapping_history (folder, file, name, version,"
                + " content_hash, content, outcome, problems, happened_at, by_user) values (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?)")) {
            ps.setString(1, DeadLetters.fit(folder, 500));
            ps.setString(2, DeadLetters.fit(file, 500));
            ps.setString(3, name);
            if (version == null) {
                ps.setNull(4, java.sql.Types.INTEGER);
            } else {
                ps.setInt(4, version);
            }
            ps.setString(5, hash);
            ps.setString(6, content);
            ps.setString(7, outcome);
            ps.setString(8, problems);
            ps.setTimestamp(9, Timestamp.from(now));
            ps.setString(10, DeadLetters.fit(by, 100));
            ps.executeUpdate();
        }
    }
}
