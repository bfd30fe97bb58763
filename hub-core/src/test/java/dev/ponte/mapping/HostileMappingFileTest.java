package dev.ponte.mapping;

import dev.ponte.TestGlossary;
import dev.ponte.validation.RecordValidator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Files that are not mapping files at all, or that attack the YAML parser, are refused like any other broken mapping:
 * one problem with the file and the line, never an exception of the parser.
 */
class HostileMappingFileTest {

    private static final String GOOD_START = """
            mapping: test
            version: 1
            source: {system: test, key: ID}
            target: Procedure
            fields:
              code: ID
              kind: {value: SERVICE}
            """;

    @TempDir
    static Path dir;
    private static RecordValidator validator;
    private static MappingLoader loader;

    @BeforeAll
    static void setUp() {
        validator = TestGlossary.validator();
        loader = new MappingLoader(TestGlossary.get(), validator);
    }

    @AfterAll
    static void tearDown() {
        validator.close();
    }

    private static List<MappingProblem> problemsOf(Path file) {
        Throwable thrown = catchThrowable(() -> loader.load(file));
        assertThat(thrown).as("%s must be refused as a mapping problem", file).isInstanceOf(MappingException.class);
        List<MappingProblem> problems = ((MappingException) thrown).problems();
        assertThat(problems).allSatisfy(p -> assertThat(p.file()).isEqualTo(file.toString()));
        return problems;
    }

    @Test
    void invalidUtf8IsRefusedAtItsLine() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, (GOOD_START + "  name: {from: DESCRICAO, transforms: [{default: Depilação}]}\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(8);
            assertThat(p.message()).contains("not UTF-8 (byte 0xE7)", "save the file as UTF-8");
        });
    }

    @Test
    void aByteOrderMarkIsNotAProblem() throws IOException {
        Path file = dir.resolve("bom.yaml");
        byte[] text = (GOOD_START + "  name: {from: DESCRICAO, transforms: [{default: Depilação}]}\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[text.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(text, 0, withBom, 3, text.length);
        Files.write(file, withBom);
        assertThat(loader.load(file).name()).isEqualTo("test");
    }

    @Test
    void aBinaryFileIsRefused() throws IOException {
        Path file = dir.resolve("photo.yaml");
        Files.write(file, new byte[]{'m', 'a', 'p', ':', ' ', 'x', '\n', 'y', 0, 0, 1, 2});
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("binary");
        });
    }

    @Test
    void anAliasBombIsRefusedWithoutExpandingIt() throws IOException {
        StringBuilder yaml = new StringBuilder(GOOD_START);
        yaml.append("bomb:\n");
        yaml.append("  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int i = 1; i < 12; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                yaml.append(j == 0 ? "" : ", ").append("*l").append(i - 1);
            }
            yaml.append("]\n");
        }
        Path file = dir.resolve("bomb.yaml");
        Files.writeString(file, yaml);
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isBetween(11, 18); // where the parser stopped, within the bomb
            assertThat(p.message()).contains("aliases", "mapping files allow 50 aliases");
        });
    }

    @Test
    void fewAliasesThatNestIntoMillionsOfNodesAreRefused() throws IOException {
        // 48 aliases, under the alias limit: 16 levels of three references each is 3^16 (43 million) nodes expanded
        StringBuilder yaml = new StringBuilder(GOOD_START).append("bomb:\n  l0: &l0 [x, x, x]\n");
        for (int i = 1; i <= 16; i++) {
            yaml.append("  l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        Path file = dir.resolve("small-bomb.yaml");
        Files.writeString(file, yaml);
        assertThat(problemsOf(file)).singleElement().satisfies(p ->
                assertThat(p.message()).contains("aliases expand to more than 100000 nodes"));
    }

    @Test
    void deeplyNestedYamlIsRefused() throws IOException {
        Path file = dir.resolve("deep.yaml");
        Files.writeString(file, GOOD_START + "deep: " + "[".repeat(5_000) + "]".repeat(5_000) + "\n");
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(8);
            assertThat(p.message()).contains("Nesting Depth", "40 levels of nesting");
        });
    }

    @Test
    void aFiftyMegabyteFileIsRefusedUnread() throws IOException {
        Path file = dir.resolve("export-by-mistake.yaml");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(50L << 20);
        }
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(1);
            assertThat(p.message()).contains("51200 KiB", "at most 1024 KiB");
        });
    }

    @Test
    void brokenYamlSyntaxKeepsItsLine() throws IOException {
        Path file = dir.resolve("syntax.yaml");
        Files.writeString(file, GOOD_START + "  name: {from: [A, B}\n");
        assertThat(problemsOf(file)).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(8);
            assertThat(p.message()).startsWith("not valid YAML");
        });
    }

    @Test
    void aHostileLookupFileIsAProblemOfTheMappingThatNamesIt() throws IOException {
        Files.write(dir.resolve("codes.yaml"), "entries: {A: Depilação}\n".getBytes(StandardCharsets.ISO_8859_1));
        Path file = dir.resolve("with-lookup.yaml");
        Files.writeString(file, GOOD_START.replace("fields:", "lookups: {codes: codes.yaml}\nfields:")
                + "  name: {from: NOME, transforms: [{lookup: codes}]}\n");
        assertThat(problemsOf(file)).first().satisfies(p -> {
            assertThat(p.field()).isEqualTo("lookups.codes");
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("codes.yaml' line 1", "not UTF-8");
        });
    }
}
