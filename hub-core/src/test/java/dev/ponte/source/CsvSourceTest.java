package dev.ponte.source;

import dev.ponte.mapping.SourceOptions;
import dev.ponte.validation.Rules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvSourceTest {

    @TempDir
    Path dir;

    private static SourceOptions options(Charset encoding) {
        return new SourceOptions("test", "csv", "x.csv", encoding, ';', true, "ID", SourceOptions.DEFAULT_ZONE, null,
                null);
    }

    private List<CsvSource.Row> read(byte[] content, Charset encoding, List<String> required) throws IOException {
        Path file = dir.resolve("x.csv");
        Files.write(file, content);
        List<CsvSource.Row> rows = new ArrayList<>();
        try (CsvSource source = CsvSource.open(file, options(encoding), required)) {
            source.forEachRemaining(rows::add);
        }
        return rows;
    }

    @Test
    void readsIso88591WithQuotesAndReportsTheLineEachRecordStartsOn() throws IOException {
        String text = "ID;NOME;OBS\r\n1;José;\"Disse \"\"não\"\"; ok\"\r\n2;Inês;\"duas\r\nlinhas\"\r\n3;Açucena;\r\n";
        List<CsvSource.Row> rows = read(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1,
                List.of("ID", "NOME"));
        assertThat(rows).extracting(r -> r.record().line()).containsExactly(2L, 3L, 5L);
        assertThat(rows.get(0).record().get("OBS")).isEqualTo("Disse \"não\"; ok");
        assertThat(rows.get(1).record().get("NOME")).isEqualTo("Inês");
        assertThat(rows.get(2).record().get("NOME")).isEqualTo("Açucena");
        assertThat(rows).allSatisfy(r -> assertThat(r.problem()).isNull());
    }

    @Test
    void aShortRowIsMalformedAndTheNextRowsStillCome() throws IOException {
        List<CsvSource.Row> rows = read("ID;A;B\n1;x;y\n2;x\n3;x;y\n".getBytes(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, List.of("ID"));
        assertThat(rows).hasSize(3);
        assertThat(rows.get(1).problem().rule()).isEqualTo(Rules.MALFORMED_ROW);
        assertThat(rows.get(1).problem().args()).containsEntry("expected", 3).containsEntry("actual", 2);
        assertThat(rows.get(2).problem()).isNull();
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnName() throws IOException {
        byte[] content = "\uFEFFID;NOME\n1;Ana\n".getBytes(StandardCharsets.UTF_8);
        assertThat(read(content, StandardCharsets.UTF_8, List.of("ID")).get(0).record().get("ID")).isEqualTo("1");
    }

    @Test
    void missingColumnsAreNamedWithTheHeaderAndWhatToCheck() {
        assertThatThrownBy(() -> read("ID,NOME\n1,Ana\n".getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                List.of("ID", "NOME")))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("[ID, NOME] needed by the mapping are not in the header [ID,NOME]")
                .hasMessageContaining("check the delimiter (';')");
    }

    @Test
    void latin1BytesReadAsUtf8AreAnEncodingErrorOfThatRowNotGarbage() throws IOException {
        byte[] latin1 = "ID;NOME\n1;José\n2;Ana\n".getBytes(StandardCharsets.ISO_8859_1);
        List<CsvSource.Row> rows = read(latin1, StandardCharsets.UTF_8, List.of("ID"));
        assertThat(rows.get(0).problem().rule()).isEqualTo(Rules.INVALID_ENCODING);
        assertThat(rows.get(0).problem().sourceField()).isEqualTo("NOME");
        assertThat(rows.get(1).problem()).isNull();
    }

    @Test
    void anEmptyFileSaysSo() {
        assertThatThrownBy(() -> read(new byte[0], StandardCharsets.UTF_8, List.of("ID")))
                .isInstanceOf(SourceException.class).hasMessageContaining("the file is empty");
    }
}
