package dev.ponte.store;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Whatever bad input holds, every value of a dead letter fits its column: cut, with a marker that says so. */
@Tag("store")
class DeadLettersFitTest {

    private static final int TWO_MB = 2 << 20;

    @TempDir
    Path dir;

    @Test
    void aValueTooLongForItsColumnIsCutWithAMarkerAndFitsExactly() {
        String cut = DeadLetters.fit("x".repeat(1048), 200);
        assertThat(cut).hasSize(200).startsWith("xxx").endsWith("…[cut, 1048 chars]");
        assertThat(DeadLetters.fit("short", 200)).isEqualTo("short");
        assertThat(DeadLetters.fit("x".repeat(200), 200)).isEqualTo("x".repeat(200));
        assertThat(DeadLetters.fit(null, 200)).isNull();
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String value = "a".repeat(180) + emoji.repeat(100);
        String cut = DeadLetters.fit(value, 200);
        assertThat(cut.length()).isLessThanOrEqualTo(200);
        String kept = cut.substring(0, cut.indexOf('…'));
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void twoMegabyteValuesInEveryColumnAreStoredCutAndThePayloadIsKeptWhole() {
        String huge = "9".repeat(TWO_MB);
        try (Database db = TestStores.open(Database.embeddedUrl(dir), Database::open)) {
            long id = db.inTransaction(c -> DeadLetters.add(c, huge, huge, huge, DeadLetter.ErrorClass.MAPPING,
                    List.of("row-too-long", huge), "[]", huge, huge, 3L, huge, huge, Instant.now()));
            DeadLetter d = db.inTransaction(c -> DeadLetters.get(c, id)).orElseThrow();

            String marker = "…[cut, " + TWO_MB + " chars]";
            assertThat(d.sourceKey()).hasSize(DeadLetters.SOURCE_KEY).endsWith(marker);
            assertThat(d.sourceFile()).hasSize(DeadLetters.SOURCE_FILE).endsWith(marker);
            assertThat(d.connector()).hasSize(DeadLetters.CONNECTOR).endsWith(marker);
            assertThat(d.system()).hasSize(DeadLetters.SYSTEM).endsWith(marker);
            assertThat(d.mapping()).hasSize(DeadLetters.MAPPING).endsWith(marker);
            assertThat(d.correlationId()).hasSize(DeadLetters.CORRELATION_ID).endsWith(marker);
            assertThat(d.rules()).containsExactly("row-too-long", "…[cut: 1 more rules]");
            assertThat(d.payload()).isEqualTo(huge);

            db.inTransaction(c -> {
                DeadLetters.failedAgain(c, id, huge, DeadLetter.ErrorClass.VALIDATION, List.of(huge), "[]",
                        Instant.now());
                DeadLetters.close(c, id, DeadLetter.Status.DISCARDED, huge);
                return null;
            });
            DeadLetter closed = db.inTransaction(c -> DeadLetters.get(c, id)).orElseThrow();
            assertThat(closed.mapping()).hasSize(DeadLetters.MAPPING);
            assertThat(closed.rules()).containsExactly("…[cut: 1 more rules]");
            assertThat(closed.resolution()).hasSize(DeadLetters.RESOLUTION).endsWith(marker);
        }
    }

    @Test
    void manyRulesKeepWholeIdsThatStillMatchAFilter() {
        List<String> rules = IntStream.range(0, 100).mapToObj(i -> "rule-number-" + i).toList();
        String column = DeadLetters.rulesColumn(rules);
        assertThat(column.length()).isLessThanOrEqualTo(DeadLetters.RULES);
        assertThat(column).startsWith(",rule-number-0,rule-number-1,").contains("more rules]");
        assertThat(DeadLetters.rulesColumn(List.of("a", "b"))).isEqualTo(",a,b,");
    }
}
