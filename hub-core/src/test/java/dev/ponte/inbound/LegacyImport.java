package dev.ponte.inbound;

import dev.ponte.testsupport.TestStores;
import dev.ponte.TestGlossary;
import dev.ponte.store.Database;
import dev.ponte.validation.RecordValidator;

import java.nio.file.Path;
import java.time.Clock;

/**
 * An embedded store in a test's folder with the shipped legacy-clinic mappings and an inbound processor over it: the
 * set-up of the tests that put legacy rows through {@link InboundProcessor}. Close it after each test.
 */
final class LegacyImport implements AutoCloseable {

    final Database db;
    final RecordValidator validator;
    final InboundProcessor processor;

    LegacyImport(Path dir) {
        db = TestStores.open(Database.embeddedUrl(dir.resolve("db")), Database::open);
        validator = new RecordValidator(TestGlossary.get(), Clock.systemUTC());
        processor = new InboundProcessor(db, LegacyRows.mappings(validator), validator, Clock.systemUTC(), "test");
    }

    @Override
    public void close() {
        validator.close();
        db.close();
    }
}
