package dev.ponte.admin;

import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** API keys: shown once, stored as a salted PBKDF2 hash, verified, revoked. */
class ApiKeysTest {

    @TempDir
    Path dir;
    Database db;
    final Instant now = Instant.parse("2026-12-04T12:00:00Z");

    @BeforeEach
    void open() {
        db = PonteHub.openDatabase(HubSettings.load(dir, null, Map.of()));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private java.util.Optional<ApiKeys.Principal> verify(ApiKeys keys, String key) {
        return java.util.Optional.ofNullable(keys.verify(db, key, now, true).principal());
    }

    private boolean revoke(String idOrName) {
        return db.inTransaction(c -> ApiKeys.revoke(c, idOrName, "ana", now));
    }

    private List<ApiKeys.Listed> list() {
        return db.inTransaction(ApiKeys::list);
    }

    @Test
    void aKeyIsStoredOnlyAsASaltedHashAndVerifiesToItsRole() {
        ApiKeys.Created a = db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.VIEWER, "ana", now));
        ApiKeys.Created b = db.inTransaction(c -> ApiKeys.create(c, "recepcao", Role.OPERATOR, "ana", now));

        assertThat(a.key()).matches("ponte_[a-z0-9]{12}_[A-Za-z0-9_-]{43}").startsWith("ponte_" + a.id() + "_");
        List<String> stored = db.inTransaction(c -> {
            List<String> cells = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select * from api_key")) {
                while (rs.next()) {
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        cells.add(String.valueOf(rs.getString(i)));
                    }
                }
            }
            return cells;
        });
        String secretA = a.key().substring("ponte_".length() + 13);
        assertThat(secretA).hasSize(43);
        assertThat(stored).noneMatch(cell -> cell.contains(secretA) || cell.contains(a.key()));
        List<String> salts = db.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select salt, iterations from api_key")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                    assertThat(rs.getInt(2)).isGreaterThanOrEqualTo(100_000);
                }
            }
            return out;
        });
        assertThat(salts).doesNotHaveDuplicates().hasSize(2);

        ApiKeys keys = new ApiKeys();
        assertThat(verify(keys, a.key())).get()
                .extracting(ApiKeys.Principal::role, ApiKeys.Principal::name).containsExactly(Role.VIEWER, "monitoring");
        assertThat(verify(keys, b.key())).get()
                .extracting(ApiKeys.Principal::role).isEqualTo(Role.OPERATOR);
        // a second time from memory, the same answer
        assertThat(verify(keys, a.key())).isPresent();
    }

    @Test
    void aWrongSecretAnUnknownIdAndARevokedKeyAreRefused() {
        ApiKeys.Created a = db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.ADMIN, "ana", now));
        ApiKeys keys = new ApiKeys();
        assertThat(verify(keys, a.key())).isPresent();

        String wrongSecret = a.key().substring(0, a.key().length() - 1) + (a.key().endsWith("A") ? "B" : "A");
        assertThat(verify(keys, wrongSecret)).isEmpty();
        assertThat(verify(keys, "ponte_zzzzzzzzzzzz_" + "A".repeat(43))).isEmpty();
        assertThat(verify(keys, "not a key")).isEmpty();

        assertThat(revoke("monitoring")).isTrue();
        assertThat(verify(keys, a.key())).as("revoked, though verified before").isEmpty();
        assertThat(revoke(a.id())).as("already revoked").isFalse();
        assertThat(list()).singleElement()
                .satisfies(k -> assertThat(k.revokedAt()).isEqualTo(now));
    }

    @Test
    void withoutTheSlowHashOnlyAKeyVerifiedBeforeIsRecognised() {
        ApiKeys.Created a = db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.VIEWER, "ana", now));
        ApiKeys.Created b = db.inTransaction(c -> ApiKeys.create(c, "recepcao", Role.VIEWER, "ana", now));
        ApiKeys keys = new ApiKeys();
        assertThat(keys.verify(db, a.key(), now, true).outcome()).isEqualTo(ApiKeys.Outcome.VALID);

        assertThat(keys.verify(db, a.key(), now, false).outcome()).as("known").isEqualTo(ApiKeys.Outcome.VALID);
        assertThat(keys.verify(db, b.key(), now, false).outcome()).as("never verified")
                .isEqualTo(ApiKeys.Outcome.NOT_CHECKED);
        assertThat(keys.verify(db, "ponte_zzzzzzzzzzzz_" + "A".repeat(43), now, false).outcome())
                .isEqualTo(ApiKeys.Outcome.INVALID);
    }

    @Test
    void revokingByIdNeverRevokesAKeyNamedLikeThatId() {
        ApiKeys.Created a = db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.VIEWER, "ana", now));
        ApiKeys.Created b = db.inTransaction(c -> ApiKeys.create(c, a.id(), Role.VIEWER, "ana", now));
        assertThat(revoke(a.id())).isTrue();
        ApiKeys keys = new ApiKeys();
        assertThat(verify(keys, a.key())).isEmpty();
        assertThat(verify(keys, b.key())).as("named like the other's id, still valid").isPresent();
    }

    @Test
    void aNameIsUniqueAndARoleMustExist() {
        db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.VIEWER, "ana", now));
        assertThatThrownBy(() -> db.inTransaction(c -> ApiKeys.create(c, "monitoring", Role.VIEWER, "ana", now)))
                .hasMessageContaining("a key named 'monitoring' exists");
        assertThatThrownBy(() -> Role.of("root")).hasMessageContaining("unknown role 'root'")
                .hasMessageContaining("[viewer, operator, integrator, admin]");
    }
}
