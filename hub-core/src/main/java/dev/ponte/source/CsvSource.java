package dev.ponte.source;

import dev.ponte.mapping.SourceOptions;
import dev.ponte.mapping.SourceRecord;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Streams the rows of a delimited export file, one at a time (memory does not grow with the file). Encoding,
 * delimiter and header come from the mapping's {@link SourceOptions}. A row whose column count differs from the
 * header's is returned as a malformed row, so it is reported and the rest of the file still goes through.
 * Not thread safe; close it when done.
 */
public final class CsvSource implements Iterator<CsvSource.Row>, Closeable {

    /**
     * One row: either a record to map, or the reason it cannot be read.
     *
     * @param record  the row's values by column; for a malformed row, what could be read
     * @param problem why the row is unusable (rule {@code malformed-row}), or {@code null}
     */
    public record Row(SourceRecord record, Violation problem) {
    }

    private final Path file;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private final List<String> header;
    private long previousEndLine;

    private CsvSource(Path file, CSVParser parser, List<String> header) {
        this.file = file;
        this.parser = parser;
        this.records = parser.iterator();
        this.header = header;
        this.previousEndLine = parser.getCurrentLineNumber();
    }

    /**
     * Opens a file and checks its header against the columns a mapping needs.
     *
     * @param required columns the mapping reads; all must be in the header
     * @throws SourceException when the file cannot be opened, is empty, or lacks required columns
     */
    public static CsvSource open(Path file, SourceOptions options, Collection<String> required) {
        Reader reader;
        try {
            var decoder = options.encoding().newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder), 1 << 16);
            reader.mark(1);
            if (reader.read() != '\uFEFF') {
                reader.reset(); // no byte-order mark
            }
        } catch (IOException e) {
            throw new SourceException(file + ": cannot read: " + describe(e), e);
        }
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(options.delimiter()).setHeader()
                .setSkipHeaderRecord(true).setIgnoreEmptyLines(true).setAllowMissingColumnNames(true)
                .setTrim(false).build();
        try {
            CSVParser parser = format.parse(reader);
            List<String> header = parser.getHeaderNames();
            if (header.isEmpty()) {
                parser.close();
                throw new SourceException(file + ": the file is empty; expected a header line with the columns "
                        + required);
            }
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                parser.close();
                throw new SourceException(file + ": column(s) " + missing + " needed by the mapping are not in the "
                        + "header " + header + "; check the delimiter ('" + options.delimiter() + "'), the encoding ("
                        + options.encoding() + ") and the 'from' names in the mapping");
            }
            return new CsvSource(file, parser, header);
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(reader);
            throw new SourceException(file + ": cannot read the header: " + describe(e), e);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        if (cause instanceof CharacterCodingException) {
            return "bytes that are not valid in the declared encoding; set source.encoding in the mapping "
                    + "(ISO-8859-1 and UTF-8 are the usual ones)";
        }
        return String.valueOf(cause.getMessage());
    }

    private static void closeQuietly(Reader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // nothing more to report than the original failure
        }
    }

    public List<String> header() {
        return header;
    }

    @Override
    public boolean hasNext() {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            throw new SourceException(file + ": unreadable after line " + previousEndLine + ": " + describe(e), e);
        }
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        CSVRecord r = records.next();
        long line = previousEndLine + 1;
        previousEndLine = parser.getCurrentLineNumber();
        Map<String, String> values = new LinkedHashMap<>();
        int n = Math.min(r.size(), header.size());
        for (int i = 0; i < n; i++) {
            values.put(header.get(i), r.get(i));
        }
        SourceRecord record = new SourceRecord(line, values);
        if (r.size() != header.size()) {
            return new Row(record, new Violation(null, Rules.MALFORMED_ROW, null, null,
                    Map.of("expected", header.size(), "actual", r.size())));
        }
        return new Row(record, null);
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
