package dev.ponte.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The first rows of an export, read without a mapping: the encoding (a byte-order mark, else valid UTF-8, else
 * windows-1252, what old Brazilian systems write), the delimiter (the one of {@code ; , TAB |} that splits the
 * first lines into the same number of columns, most columns first) and the header row. For a mapping draft.
 *
 * @param encoding  what the file is written in
 * @param bom       whether it starts with a byte-order mark
 * @param delimiter the column delimiter
 * @param header    the first row's values (the column names)
 * @param rows      up to {@code maxRows} rows after the header, with their values
 */
public record ExportSample(Charset encoding, boolean bom, char delimiter, List<String> header,
                           List<List<String>> rows) {

    /** How much of a file a sample reads at most. */
    public static final int MAX_BYTES = 1 << 20;
    private static final char[] DELIMITERS = {';', ',', '\t', '|'};

    /**
     * Reads a sample of a file.
     *
     * @throws SourceException when the file cannot be read or has no row
     */
    public static ExportSample read(Path file, int maxRows) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (IOException e) {
            throw new SourceException(file + ": cannot read: " + e.getMessage(), e);
        }
        boolean bom = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF;
        int start = bom ? 3 : 0;
        Charset encoding = StandardCharsets.UTF_8;
        String text;
        try {
            // a cut in the middle of a character at MAX_BYTES is not an encoding problem: ignore the last 3 bytes
            int length = bytes.length == MAX_BYTES ? bytes.length - start - 3 : bytes.length - start;
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, start, Math.max(0, length))).toString();
        } catch (CharacterCodingException e) {
            encoding = Charset.forName("windows-1252");
            text = new String(bytes, start, bytes.length - start, encoding);
        }
        List<String> lines = text.lines().filter(l -> !l.isBlank()).limit(20).toList();
        if (lines.isEmpty()) {
            throw new SourceException(file + ": the file has no row to learn from");
        }
        char delimiter = delimiter(lines);
        List<List<String>> records = new ArrayList<>();
        try (DelimitedReader reader = new DelimitedReader(new StringReader(text), delimiter, CsvSource.MAX_ROW_CHARS)) {
            DelimitedReader.Record r;
            while (records.size() <= maxRows && (r = reader.next()) != null) {
                if (r.problem() == null) {
                    records.add(r.fields().stream().map(String::strip).toList());
                }
            }
        } catch (IOException e) {
            throw new SourceException(file + ": cannot read: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new SourceException(file + ": no well-formed row in the first lines");
        }
        List<List<String>> rows = records.subList(1, records.size());
        if (bytes.length == MAX_BYTES && !rows.isEmpty()) {
            rows = rows.subList(0, rows.size() - 1); // the last one may be cut at MAX_BYTES
        }
        return new ExportSample(encoding, bom, delimiter, records.get(0), List.copyOf(rows));
    }

    /** The delimiter that gives the first lines one same number of columns (more than one), most columns first. */
    private static char delimiter(List<String> lines) {
        char best = ',';
        int bestColumns = 1;
        for (char d : DELIMITERS) {
            int columns = count(lines.get(0), d) + 1;
            boolean steady = lines.stream().limit(10).allMatch(l -> count(l, d) + 1 == columns);
            if (columns > bestColumns && (steady || bestColumns == 1)) {
                best = d;
                bestColumns = columns;
            }
        }
        return best;
    }

    /** Delimiters outside double quotes. */
    private static int count(String line, char d) {
        int n = 0;
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == d && !quoted) {
                n++;
            }
        }
        return n;
    }

    /** The values of one column in the sample's rows (blank for rows that are short). */
    public List<String> column(int index) {
        List<String> out = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            out.add(index < r.size() ? r.get(index) : "");
        }
        return out;
    }
}
