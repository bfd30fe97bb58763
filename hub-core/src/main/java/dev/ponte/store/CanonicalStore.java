package dev.ponte.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Canonical records and their cross-references, read and written on the caller's connection so that a record, its
 * xref, its event and the import counters commit together.
 */
public final class CanonicalStore {

    /** A cross-reference row: the canonical id a source record maps to and the hash of its last content. */
    public record Xref(String canonicalId, String contentHash) {
    }

    private CanonicalStore() {
    }

    public static Optional<Xref> xref(Connection c, String system, String type, String sourceId) throws SQLException {
        try (XrefReader reader = new XrefReader(c)) {
            return reader.read(system, type, sourceId);
        }
    }

    /**
     * Reads cross-references and locks them for the rest of the transaction, with one prepared statement for many
     * reads (H2 does not cache a {@code select ... for update}: parsing it again for every row of a chunk cost a
     * tenth of the inbound consumer's time).
     */
    public static final class XrefReader implements AutoCloseable {

        private final PreparedStatement ps;

        public XrefReader(Connection c) throws SQLException {
            ps = c.prepareStatement("select canonical_id, content_hash from xref where system = ? and entity_type = ?"
                    + " and source_id = ? for update");
        }

        public Optional<Xref> read(String system, String type, String sourceId) throws SQLException {
            ps.setString(1, system);
            ps.setString(2, type);
            ps.setString(3, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Xref(rs.getString(1), rs.getString(2))) : Optional.empty();
            }
        }

        @Override
        public void close() throws SQLException {
            ps.close();
        }
    }

    /**
     * The cross-reference of a record another record points to, read without locking it: references are only read
     * (locking them made H2 rewrite the row of every patient an appointment names, at every commit).
     */
    public static Optional<String> referencedId(Connection c, String system, String type, String sourceId)
            throws SQLException {
        return Sql.first(c, "select canonical_id from xref where system = ? and entity_type = ? and source_id = ?",
                system, type, sourceId).map(String::valueOf);
    }

    /** Whether the store holds any record of this type from this system (reference checks apply only then). */
    public static boolean holdsAny(Connection c, String system, String type) throws SQLException {
        return Sql.first(c, "select 1 from xref where system = ? and entity_type = ? limit 1", system, type).isPresent();
    }

    public static void putXref(Connection c, String system, String type, String sourceId, String canonicalId,
                               String hash, String mapping, Instant now) throws SQLException {
        if (Sql.update(c, "update xref set canonical_id = ?, content_hash = ?, mapping = ?, updated_at = ?"
                + " where system = ? and entity_type = ? and source_id = ?", canonicalId, hash, mapping, now, system,
                type, sourceId) == 0) {
            insertXref(c, system, type, sourceId, canonicalId, hash, mapping, now);
        }
    }

    /**
     * Adds the cross-reference of a source record the caller just found to have none (its {@link #xref} read, in
     * this transaction, came back empty). Two writers racing for the same source id make one of them fail on the
     * primary key and retry, never a double.
     */
    public static void insertXref(Connection c, String system, String type, String sourceId, String canonicalId,
                                  String hash, String mapping, Instant now) throws SQLException {
        Sql.update(c, "insert into xref (system, entity_type, source_id, canonical_id, content_hash, mapping,"
                + " updated_at) values (?, ?, ?, ?, ?, ?, ?)", system, type, sourceId, canonicalId, hash, mapping, now);
    }

    /** The record's id in each source system it came from (the cross-references), by system. */
    public static java.util.Map<String, String> sourceIds(Connection c, String type, String canonicalId)
            throws SQLException {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement("select system, source_id from xref where entity_type"
                + " = ? and canonical_id = ? order by system, updated_at")) {
            Sql.bind(ps, type, canonicalId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /**
     * Locks a record's row until the transaction ends ({@code select ... for update}), so that work deciding from a
     * record (does this charge have its invoice yet?) runs for that record in one transaction at a time. Needed on
     * PostgreSQL, where write transactions run side by side; on H2 the hub runs one write transaction at a time.
     *
     * @return whether the record exists (nothing is locked when it does not)
     */
    public static boolean lock(Connection c, String type, String canonicalId) throws SQLException {
        return Sql.first(c, "select canonical_id from canonical_record where entity_type = ? and canonical_id = ?"
                + " for update", type, canonicalId).isPresent();
    }

    public static Optional<String> payload(Connection c, String type, String canonicalId) throws SQLException {
        return Sql.first(c, "select payload from canonical_record where entity_type = ? and canonical_id = ?", type,
                canonicalId);
    }

    /** Every record of one entity, id → payload, in canonical id order (time-ordered ids: oldest first). */
    public static java.util.LinkedHashMap<String, String> payloads(Connection c, String type) throws SQLException {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "select canonical_id, payload from canonical_record where entity_type = ? order by canonical_id")) {
            Sql.bind(ps, type);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    /** When a record last changed in the hub. */
    public static Optional<Instant> updatedAt(Connection c, String type, String canonicalId) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "select updated_at from canonical_record where entity_type = ? and canonical_id = ?")) {
            Sql.bind(ps, type, canonicalId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getTimestamp(1).toInstant()) : Optional.empty();
            }
        }
    }

    /** Inserts a record, or replaces its payload and raises its version. */
    public static void save(Connection c, String type, String canonicalId, String payload, String hash, Instant now)
            throws SQLException {
        if (Sql.update(c, "update canonical_record set payload = ?, content_hash = ?, version = version + 1,"
                + " updated_at = ? where entity_type = ? and canonical_id = ?", payload, hash, now, type, canonicalId) == 0) {
            insert(c, type, canonicalId, payload, hash, now);
        }
    }

    /** Inserts a record under a canonical id the caller just created (version 1). */
    public static void insert(Connection c, String type, String canonicalId, String payload, String hash, Instant now)
            throws SQLException {
        Sql.update(c, "insert into canonical_record (entity_type, canonical_id, payload, content_hash, version,"
                + " created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?)", type, canonicalId, payload, hash, now, now);
    }

    /** The canonical patient holding this CPF, if any. */
    public static Optional<String> patientByCpf(Connection c, String cpf) throws SQLException {
        return Sql.first(c, "select canonical_id from patient_identity where cpf = ?", cpf);
    }

    public static void claimCpf(Connection c, String cpf, String canonicalId) throws SQLException {
        Sql.update(c, "insert into patient_identity (cpf, canonical_id) values (?, ?)", cpf, canonicalId);
    }

    /** A canonical patient with the same normalized name and birth date, if any. */
    public static Optional<String> patientByNameKey(Connection c, String nameKey) throws SQLException {
        return Sql.first(c, "select canonical_id from patient_name_key where name_key = ? limit 1", nameKey);
    }

    public static void addNameKey(Connection c, String nameKey, String canonicalId) throws SQLException {
        Sql.update(c, "insert into patient_name_key (name_key, canonical_id) select ?, ? where not exists"
                + " (select 1 from patient_name_key where name_key = ? and canonical_id = ?)", nameKey, canonicalId,
                nameKey, canonicalId);
    }

    public static void addReviewCandidate(Connection c, String type, String canonicalId, String candidateOf,
                                          String reason, Instant now) throws SQLException {
        Sql.update(c, "insert into review_candidate (entity_type, canonical_id, candidate_of, reason, status,"
                + " created_at) values (?, ?, ?, ?, 'OPEN', ?)", type, canonicalId, candidateOf, reason, now);
    }

    /** Record count per entity type. */
    /**
     * The records of a type whose field holds a value (a reference to another record), id → payload. Reads the type's
     * rows (no index on payload fields): fine for a view of one patient, not for bulk work.
     */
    public static java.util.LinkedHashMap<String, String> referencing(Connection c, String type, String field,
                                                                       String value) throws SQLException {
        java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
        String needle = "\"" + field + "\":" + dev.ponte.json.Json.MAPPER.getNodeFactory().textNode(value);
        try (PreparedStatement ps = c.prepareStatement("select canonical_id, payload from canonical_record where "
                + "entity_type = ? and payload like ? escape '!' order by canonical_id")) {
            ps.setString(1, type);
            ps.setString(2, "%" + needle.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    public static Map<String, Long> countsByType(Connection c) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select entity_type, count(*) from canonical_record group by entity_type order by entity_type");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }


}
