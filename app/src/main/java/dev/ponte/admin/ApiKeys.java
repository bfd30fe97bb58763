package dev.ponte.admin;

import dev.ponte.store.Database;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's keys. A key is {@code ponte_<id>_<secret>}: the id is its public part (listed, audited), the secret
 * 256 random bits. Only a salted PBKDF2-HMAC-SHA256 hash of the whole key is stored; the key itself is returned once,
 * by {@link #create}, and never written anywhere. A key verified once is remembered in memory by a SHA-256 of it, so
 * each request does not pay the slow hash again; revocation is read from the store at every request. The slow hash never
 * runs inside a transaction.
 */
public final class ApiKeys {

    /** PBKDF2 iterations of new keys (stored per key, so it can be raised later). */
    static final int ITERATIONS = 120_000;
    private static final Pattern FORMAT = Pattern.compile("ponte_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    /** A key as listed: never its secret. */
    public record Listed(String id, String name, Role role, Instant createdAt, String createdBy, Instant revokedAt,
                         Instant lastUsedAt) {
    }

    /** Who a verified key is. */
    public record Principal(String keyId, String name, Role role) {
        /** As the audit log names it. */
        public String actor() {
            return "apikey:" + name + " (" + keyId + ")";
        }
    }

    /** A new key: the only time its text exists outside the caller. */
    public record Created(String id, String key) {
    }

    /** Key id → SHA-256 of the key last verified with the slow hash. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();

    /**
     * Creates a key.
     *
     * @throws IllegalArgumentException when the name is blank, too long or taken
     */
    public static Created create(Connection c, String name, Role role, String actor, Instant now) throws SQLException {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("the key's name is required (1 to 100 characters)");
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from api_key where name = ?")) {
            ps.setString(1, name.strip());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw new IllegalArgumentException("a key named '" + name.strip() + "' exists: choose another "
                            + "name, or revoke that one first");
                }
            }
        }
        StringBuilder id = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            id.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "ponte_" + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try (PreparedStatement ps = c.prepareStatement("insert into api_key (key_id, name, role, salt, hash, iterations,"
                + " created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, id.toString());
            ps.setString(2, name.strip());
            ps.setString(3, role.label());
            ps.setString(4, Base64.getEncoder().encodeToString(salt));
            ps.setString(5, Base64.getEncoder().encodeToString(pbkdf2(key, salt, ITERATIONS)));
            ps.setInt(6, ITERATIONS);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setString(8, actor);
            ps.executeUpdate();
        } catch (java.sql.SQLIntegrityConstraintViolationException taken) {
            throw new IllegalArgumentException("a key named '" + name.strip() + "' exists: choose another name, or "
                    + "revoke that one first");
        }
        return new Created(id.toString(), key);
    }

    public static List<Listed> list(Connection c) throws SQLException {
        List<Listed> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select key_id, name, role, created_at, created_by, revoked_at,"
                + " last_used_at from api_key order by created_at, key_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Listed(rs.getString(1), rs.getString(2), Role.of(rs.getString(3)),
                        rs.getTimestamp(4).toInstant(), rs.getString(5), instant(rs.getTimestamp(6)),
                        instant(rs.getTimestamp(7))));
            }
        }
        return out;
    }

    /** Revokes a key by its id or name; {@code false} when there is no such key not yet revoked. */
    public static boolean revoke(Connection c, String idOrName, String actor, Instant now) throws SQLException {
        // by id first: a key whose name is another key's id must not revoke both
        for (String column : new String[]{"key_id", "name"}) {
            try (PreparedStatement ps = c.prepareStatement("update api_key set revoked_at = ?, revoked_by = ? where "
                    + column + " = ? and revoked_at is null")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setString(2, actor);
                ps.setString(3, idOrName);
                if (ps.executeUpdate() > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The key id of a presented key, or empty when it is not of the key format (nothing is looked up). */
    public static Optional<String> idOf(String presented) {
        Matcher m = presented == null ? null : FORMAT.matcher(presented);
        return m != null && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** What checking a presented key gave. */
    public enum Outcome {
        /** The key is valid: {@link Verified#principal()} says who. */
        VALID,
        /** Unknown, wrong, revoked, or not a key at all. */
        INVALID,
        /** Not checked: it is not one verified before, and the caller did not allow the slow hash. */
        NOT_CHECKED
    }

    /** The outcome, and who the key is when valid. */
    public record Verified(Outcome outcome, Principal principal) {
    }

    /**
     * Checks a presented key. The key's row is read without the store's write lock, the slow hash runs outside any
     * transaction (a guesser never stalls the hub's writes), and {@code last_used_at} is written at most once a minute.
     *
     * @param mayHash whether the slow hash may run: a key verified before is recognised without it, so a caller that
     *                slows an address down can still let known keys through
     */
    public Verified verify(Database db, String presented, Instant now, boolean mayHash) {
        Optional<String> id = idOf(presented);
        if (id.isEmpty()) {
            return new Verified(Outcome.INVALID, null);
        }
        Optional<String[]> row = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("select name, role, salt, hash, iterations, revoked_at, "
                    + "last_used_at from api_key where key_id = ?")) {
                ps.setString(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getTimestamp(6) != null) {
                        return Optional.empty();
                    }
                    Timestamp used = rs.getTimestamp(7);
                    return Optional.of(new String[]{rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4), String.valueOf(rs.getInt(5)),
                            used == null ? null : String.valueOf(used.getTime())});
                }
            }
        });
        if (row.isEmpty()) {
            verified.remove(id.get());
            return new Verified(Outcome.INVALID, null);
        }
        String[] r = row.get();
        byte[] fingerprint = sha256(presented);
        byte[] known = verified.get(id.get());
        if (known == null || !MessageDigest.isEqual(known, fingerprint)) {
            if (!mayHash) {
                return new Verified(Outcome.NOT_CHECKED, null);
            }
            byte[] expected = Base64.getDecoder().decode(r[3]);
            byte[] actual = pbkdf2(presented, Base64.getDecoder().decode(r[2]), Integer.parseInt(r[4]));
            if (!MessageDigest.isEqual(expected, actual)) {
                return new Verified(Outcome.INVALID, null);
            }
            verified.put(id.get(), fingerprint);
        }
        if (r[5] == null || Long.parseLong(r[5]) < now.minusSeconds(60).toEpochMilli()) {
            db.inTransaction(c -> {
                try (PreparedStatement used = c.prepareStatement("update api_key set last_used_at = ? where key_id = ?")) {
                    used.setTimestamp(1, Timestamp.from(now));
                    used.setString(2, id.get());
                    used.executeUpdate();
                }
                return null;
            });
        }
        return new Verified(Outcome.VALID, new Principal(id.get(), r[0], Role.of(r[1])));
    }

    private static byte[] pbkdf2(String key, byte[] salt, int iterations) {
        try {
            PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this Java", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
