package dev.ponte.inbound;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub-wide cache of committed cross-references that chunks consult before the store. */
@Tag("store")
class CommittedReferencesTest {

    @TempDir
    Path dir;

    @Test
    void keepsTheMostRecentlyUsedIdsUpToItsCapacity() {
        CommittedReferences refs = new CommittedReferences(2);
        refs.addAll(Map.of(CommittedReferences.key("legacy", "Patient", "1"), "p-1"));
        refs.addAll(Map.of(CommittedReferences.key("legacy", "Patient", "2"), "p-2"));
        assertThat(refs.get(CommittedReferences.key("legacy", "Patient", "1"))).contains("p-1"); // used: stays
        refs.addAll(Map.of(CommittedReferences.key("legacy", "Patient", "3"), "p-3"));

        assertThat(refs.size()).isEqualTo(2);
        assertThat(refs.get(CommittedReferences.key("legacy", "Patient", "2"))).isEmpty();
        assertThat(refs.get(CommittedReferences.key("legacy", "Patient", "1"))).contains("p-1");
        assertThat(refs.get(CommittedReferences.key("other", "Patient", "1"))).isEmpty();
    }

    @Test
    void aCatalogAnswersFromCommittedIdsAndHandsOnlyWhatItReadFromTheStore() {
        try (Database db = TestStores.open(Database.embeddedUrl(dir), Database::open)) {
            db.inTransaction(c -> {
                CanonicalStore.insertXref(c, "legacy", "Patient", "7", "p-7", "h", "m", Instant.now());
                return null;
            });
            CommittedReferences refs = new CommittedReferences(10);
            refs.addAll(Map.of(CommittedReferences.key("legacy", "Patient", "1"), "p-1")); // not in this store

            Map<String, String> read = db.inTransaction(c -> {
                StoreReferenceCatalog catalog = new StoreReferenceCatalog(c, "legacy", refs);
                assertThat(catalog.canonicalId("Patient", "1")).contains("p-1");
                assertThat(catalog.canonicalId("Patient", "7")).contains("p-7");
                assertThat(catalog.canonicalId("Patient", "8")).isEmpty();
                return catalog.readInThisTransaction();
            });

            assertThat(read).containsExactly(Map.entry(CommittedReferences.key("legacy", "Patient", "7"), "p-7"));
        }
    }

    @Test
    void aMissingReferenceIsLookedUpAgainByTheNextTransaction() {
        try (Database db = TestStores.open(Database.embeddedUrl(dir), Database::open)) {
            CommittedReferences refs = new CommittedReferences(10);
            Optional<String> before = db.inTransaction(c -> lookUp(c, refs));
            db.inTransaction(c -> {
                CanonicalStore.insertXref(c, "legacy", "Patient", "9", "p-9", "h", "m", Instant.now());
                return null;
            });

            Optional<String> after = db.inTransaction(c -> lookUp(c, refs));
            assertThat(before).isEmpty();
            assertThat(after).contains("p-9");
        }
    }

    private static Optional<String> lookUp(Connection c, CommittedReferences refs) {
        StoreReferenceCatalog catalog = new StoreReferenceCatalog(c, "legacy", refs);
        Optional<String> id = catalog.canonicalId("Patient", "9");
        refs.addAll(catalog.readInThisTransaction());
        return id;
    }
}
