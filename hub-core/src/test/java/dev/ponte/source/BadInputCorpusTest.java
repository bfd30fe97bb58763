package dev.ponte.source;

import dev.ponte.mapping.SourceOptions;
import dev.ponte.validation.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Each file of the bad-input corpus ({@code src/test/resources/bad-input}): the damaged rows come back with their rule,
 * the column and the line, and every good row around them is read intact.
 */
class BadInputCorpusTest {

    static final List<String> COLUMNS = List.of("CODIGO", "NOME", "CONSELHO", "NUM_CONSELHO", "UF_CONSELHO",
            "AGENDA_GOOGLE");

    @TempDir
    Path dir;

    static Path corpus(String name) {
        try (InputStream in = BadInputCorpusTest.class.getResourceAsStream("/bad-input/" + name)) {
            Path tmp = Files.createTempFile("corpus-", "-" + name);
            Files.write(tmp, in.readAllBytes());
            tmp.toFile().deleteOnExit();
            return tmp;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<CsvSource.Row> read(Path file, Charset declared) {
        SourceOptions options = new SourceOptions("legacy-clinic", "csv", "profissionais.csv", declared, ';', true,
                "CODIGO", SourceOptions.DEFAULT_ZONE, null, null);
        List<CsvSource.Row> rows = new ArrayList<>();
        try (CsvSource source = CsvSource.open(file, options, COLUMNS)) {
            source.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static List<CsvSource.Row> read(String name, Charset declared) {
        return read(corpus(name), declared);
    }

    /** "line:code" of good rows, "line:rule:column" of rejected ones. */
    private static List<String> outline(List<CsvSource.Row> rows) {
        return rows.stream().map(r -> r.problem() == null ? r.record().line() + ":" + r.record().get("CODIGO")
                : r.record().line() + ":" + r.problem().rule() + ":" + r.problem().sourceField()).toList();
    }

    @Test
    void anUnclosedQuoteCostsOnlyItsOwnLine() {
        List<CsvSource.Row> rows = read("unbalanced-quote.csv", StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:101", "3:unbalanced-quote:NOME", "4:103", "5:104", "6:105",
                "7:106", "9:unbalanced-quote:AGENDA_GOOGLE");
        assertThat(rows.get(1).record().get("CODIGO")).isEqualTo("102");
        assertThat(rows.get(1).problem().args()).containsEntry("line", 3L);
        assertThat(rows.get(3).record().get("NOME")).isEqualTo("Dr. José \"Zé\" Souza");
        assertThat(rows.get(4).record().get("NOME")).isEqualTo("Dra. Ana \"Aninha\" Lima");
        assertThat(rows.get(5).record().get("NOME")).isEqualTo("Dr. Paulo\r\nde Tarso");
        assertThat(rows.get(5).record().get("AGENDA_GOOGLE")).isEqualTo("prof106@clinica-exemplo.com.br");
    }

    @Test
    void rowsWithTooFewOrTooManyColumnsAreMalformedAndTheOthersPass() {
        List<CsvSource.Row> rows = read("wrong-columns.csv", StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:201", "3:malformed-row:null", "4:203", "5:malformed-row:null",
                "6:205");
        assertThat(rows.get(1).problem().args()).containsEntry("expected", 6).containsEntry("actual", 4);
        assertThat(rows.get(3).problem().args()).containsEntry("actual", 8);
    }

    @Test
    void controlCharactersSuchAsNulAreRejectedWithTheirPosition() {
        List<CsvSource.Row> rows = read("nul-bytes.csv", StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:301", "3:control-character:NOME", "4:303",
                "5:control-character:NOME");
        assertThat(rows.get(1).problem().args()).containsEntry("code", "U+0000").containsEntry("position", 9);
        assertThat(rows.get(3).problem().args()).containsEntry("code", "U+0007");
    }

    @Test
    void utf8ReadAsLatin1IsCaughtInTheRowsWithAccents() {
        List<CsvSource.Row> rows = read("utf8-as-latin1.csv", StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:encoding-mismatch:NOME", "3:402", "4:encoding-mismatch:NOME",
                "5:404");
    }

    @Test
    void latin1ReadAsUtf8IsCaughtInTheRowsWithAccents() {
        List<CsvSource.Row> rows = read("latin1-as-utf8.csv", StandardCharsets.UTF_8);
        assertThat(outline(rows)).containsExactly("2:invalid-encoding:NOME", "3:502", "4:invalid-encoding:NOME",
                "5:504");
        assertThat(rows.get(0).problem().args()).containsEntry("encoding", "UTF-8").containsEntry("other",
                "ISO-8859-1");
    }

    @Test
    void aUtf8ByteOrderMarkWinsOverTheDeclaredEncoding() {
        Path file = corpus("bom-utf8.csv");
        SourceOptions latin1 = new SourceOptions("s", "csv", "x", StandardCharsets.ISO_8859_1, ';', true, "CODIGO",
                SourceOptions.DEFAULT_ZONE, null, null);
        try (CsvSource source = CsvSource.open(file, latin1, COLUMNS)) {
            assertThat(source.encoding()).isEqualTo(StandardCharsets.UTF_8);
            assertThat(source.header().get(0)).isEqualTo("CODIGO");
        }
        List<CsvSource.Row> rows = read(file, StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:601", "3:602");
        assertThat(rows.get(0).record().get("NOME")).isEqualTo("Dra. Inês Conceição");
    }

    @Test
    void anEmptyFileFailsAsAWholeAndSaysSo() {
        assertThatThrownBy(() -> read("empty.csv", StandardCharsets.ISO_8859_1))
                .isInstanceOf(SourceException.class).hasMessageContaining("the file is empty")
                .hasMessageContaining("CODIGO");
    }

    @Test
    void aHeaderOnlyFileHasNoRowsAndIsNotAnError() {
        assertThat(read("header-only.csv", StandardCharsets.ISO_8859_1)).isEmpty();
    }

    @Test
    void aTenMegabyteValueIsRejectedCutAndTheNextRowsStillCome() throws IOException {
        Path file = dir.resolve("profissionais.csv");
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE\n701;Dra. Ana;CRM;1;SP;a@b.com\n702;"
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] block = "x".repeat(1 << 16).getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < 160; i++) { // 10 MiB
                out.write(block);
            }
            out.write(";CRM;2;SP;c@d.com\n703;Dr. Bruno;CRM;3;SP;e@f.com\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        List<CsvSource.Row> rows = read(file, StandardCharsets.ISO_8859_1);
        assertThat(outline(rows)).containsExactly("2:701", "3:row-too-long:NOME", "4:703");
        CsvSource.Row big = rows.get(1);
        assertThat(big.problem().args()).containsEntry("limit", CsvSource.MAX_ROW_CHARS);
        assertThat((Long) big.problem().args().get("actual")).isGreaterThan(10L << 20);
        assertThat(big.record().get("NOME")).hasSizeLessThan(CsvSource.KEPT_OF_OVERSIZED_VALUE + 100)
                .contains("cut by Ponte");
        assertThat(big.record().get("CODIGO")).isEqualTo("702");
    }

    @Test
    void aQuoteThatRunsPastTheRowLimitIsGivenBackAsLines() throws IOException {
        Path file = dir.resolve("profissionais.csv");
        StringBuilder text = new StringBuilder("CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE\n");
        text.append("801;\"Dra. Ana;CRM;1;SP;a@b.com\n");
        for (int i = 0; i < 50; i++) {
            text.append(900 + i).append(";Dr. N").append(i).append(";CRM;").append(i).append(";SP;n@b.com\n");
        }
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        SourceOptions options = new SourceOptions("s", "csv", "x", StandardCharsets.ISO_8859_1, ';', true, "CODIGO",
                SourceOptions.DEFAULT_ZONE, null, null);
        List<CsvSource.Row> rows = new ArrayList<>();
        try (CsvSource source = CsvSource.open(file, options, COLUMNS, 300)) { // a small limit: runs away early
            source.forEachRemaining(rows::add);
        }
        assertThat(rows).hasSize(51);
        assertThat(rows.get(0).problem().rule()).isEqualTo(Rules.UNBALANCED_QUOTE);
        assertThat(rows.subList(1, 51)).allSatisfy(r -> assertThat(r.problem()).isNull());
        assertThat(rows.get(50).record().values()).containsEntry("CODIGO", "949").containsEntry("NOME", "Dr. N49");
        assertThat(rows.get(1).record().line()).isEqualTo(3);
    }

    @Test
    void rowOutcomesDoNotDependOnBufferBoundaries() throws IOException {
        // many multi-line and escaped values, so that quotes and line ends fall on every buffer boundary
        StringBuilder text = new StringBuilder("CODIGO;NOME;CONSELHO;NUM_CONSELHO;UF_CONSELHO;AGENDA_GOOGLE\r\n");
        for (int i = 0; i < 20_000; i++) {
            text.append(i).append(";\"N ").append(i).append(" \"\"q\"\"\r\nsegunda\";CRM;").append(i)
                    .append(";SP;x@y.com\r\n");
        }
        Path file = dir.resolve("many.csv");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        List<CsvSource.Row> rows = read(file, StandardCharsets.ISO_8859_1);
        assertThat(rows).hasSize(20_000).allSatisfy(r -> assertThat(r.problem()).isNull());
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i).record().values()).isEqualTo(Map.of("CODIGO", String.valueOf(i), "NOME",
                    "N " + i + " \"q\"\r\nsegunda", "CONSELHO", "CRM", "NUM_CONSELHO", String.valueOf(i),
                    "UF_CONSELHO", "SP", "AGENDA_GOOGLE", "x@y.com"));
            assertThat(rows.get(i).record().line()).isEqualTo(2 + 2L * i);
        }
    }
}
