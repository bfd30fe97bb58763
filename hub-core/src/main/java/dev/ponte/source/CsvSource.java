package dev.ponte.source;

import dev.ponte.mapping.SourceOptions;
import dev.ponte.mapping.SourceRecord;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Streams the rows of a delimited export file, one at a time (memory does not grow with the file). Encoding,
 * delimiter and header come from the mapping's {@link SourceOptions}.
 * <p>
 * A damaged row costs only itself: it comes back with its {@link Row#problem() problem} (a rule id of
 * {@link Rules}) and the rows after it still come. Rows are rejected for a column count that differs from the
 * header's ({@code malformed-row}), a quote never closed ({@code unbalanced-quote}; reading resumes on the next
 * line), more than {@link #MAX_ROW_CHARS} characters ({@code row-too-long}), bytes not valid in the declared
 * encoding ({@code invalid-encoding}), UTF-8 text in a file declared ISO-8859-1 ({@code encoding-mismatch}) and
 * control characters such as NUL ({@code control-character}). A byte-order mark is honoured: it names the
 * encoding (UTF-8 or UTF-16) whatever the mapping declares, and is not part of the first column's name.
 * Not thread safe; close it when done.
 */
public final class CsvSource implements Iterator<CsvSource.Row>, Closeable {

    /** The longest row kept, in characters (1 MiB); longer rows are rejected and truncated in the dead letter. */
    public static final int MAX_ROW_CHARS = 1 << 20;
    /** How much of an oversized value a dead letter keeps. */
    static final int KEPT_OF_OVERSIZED_VALUE = 1000;

    /**
     * One row: either a record to map, or the reason it cannot be read.
     *
     * @param record  the row's values by column; for a rejected row, what could be read
     * @param problem why the row is unusable, or {@code null}
     */
    public record Row(SourceRecord record, Violation problem) {
    }

    private final Path file;
    private final DelimitedReader reader;
    private final List<String> header;
    private final Charset encoding;
    private final boolean latin1;
    private DelimitedReader.Record next;

    private CsvSource(Path file, DelimitedReader reader, List<String> header, Charset encoding) {
        this.file = file;
        this.reader = reader;
        this.header = header;
        this.encoding = encoding;
        String name = encoding.name();
        this.latin1 = name.equals("ISO-8859-1") || name.equals("windows-1252") || name.equals("ISO-8859-15");
    }

    /**
     * Opens a file and checks its header against the columns a mapping needs.
     *
     * @param required columns the mapping reads; all must be in the header
     * @throws SourceException when the file cannot be opened, is empty, or lacks required columns
     */
    public static CsvSource open(Path file, SourceOptions options, Collection<String> required) {
        return open(file, options, required, MAX_ROW_CHARS);
    }

    static CsvSource open(Path file, SourceOptions options, Collection<String> required, int maxRowChars) {
        DelimitedReader reader = null;
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            Charset encoding = byteOrderMark(in).orElse(options.encoding());
            CharsetDecoder decoder = encoding.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
            reader = new DelimitedReader(new InputStreamReader(in, decoder), options.delimiter(), maxRowChars);
            DelimitedReader.Record first = reader.next();
            if (first == null) {
                throw new SourceException(file + ": the file is empty; expected a header line with the columns "
                        + required);
            }
            if (first.problem() != null) {
                throw new SourceException(file + ": the header line is unreadable (" + first.problem()
                        .name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "); it must list the columns "
                        + required + " separated by '" + options.delimiter() + "'");
            }
            List<String> header = List.copyOf(first.fields());
            List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
            if (!missing.isEmpty()) {
                String hint = header.stream().anyMatch(h -> h.indexOf('\uFFFD') >= 0)
                        ? "; the header has bytes that are not valid " + encoding + ": set source.encoding in the "
                        + "mapping (ISO-8859-1 and UTF-8 are the usual ones)" : "";
                throw new SourceException(file + ": column(s) " + missing + " needed by the mapping are not in the "
                        + "header " + header + "; check the delimiter ('" + options.delimiter() + "'), the encoding ("
                        + encoding + ") and the 'from' names in the mapping" + hint);
            }
            return new CsvSource(file, reader, header, encoding);
        } catch (IOException e) {
            closeQuietly(reader);
            throw new SourceException(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    /** The encoding a byte-order mark names, consuming the mark; empty (nothing consumed) without one. */
    private static Optional<Charset> byteOrderMark(InputStream in) throws IOException {
        in.mark(3);
        int a = in.read();
        int b = in.read();
        int c = in.read();
        if (a == 0xEF && b == 0xBB && c == 0xBF) {
            return Optional.of(StandardCharsets.UTF_8);
        }
        in.reset();
        if (a == 0xFE && b == 0xFF) {
            in.skip(2);
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        if (a == 0xFF && b == 0xFE) {
            in.skip(2);
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        return Optional.empty();
    }

    private static void closeQuietly(DelimitedReader reader) {
        try {
            if (reader != null) {
                reader.close();
            }
        } catch (IOException ignored) {
            // nothing more to report than the original failure
        }
    }

    public List<String> header() {
        return header;
    }

    /** The encoding the file is read in: the mapping's, or the one its byte-order mark names. */
    public Charset encoding() {
        return encoding;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = reader.next();
            } catch (IOException e) {
                throw new SourceException(file + ": unreadable after line " + (next == null ? "?" : next.line())
                        + ": " + e.getMessage(), e);
            }
        }
        return next != null;
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DelimitedReader.Record r = next;
        next = null;
        if (r.problem() == null && r.fields().size() != header.size() && r.tail() != null) {
            r = reader.rewindAfterFirstLine(r); // a stray quote swallowed the next lines: give them back
        }
        Map<String, String> values = new LinkedHashMap<>();
        int n = Math.min(r.fields().size(), header.size());
        for (int i = 0; i < n; i++) {
            values.put(header.get(i), r.fields().get(i));
        }
        SourceRecord record = new SourceRecord(r.line(), values);
        if (r.problem() == DelimitedReader.Problem.UNBALANCED_QUOTE) {
            String column = r.openColumn() < header.size() ? header.get(r.openColumn()) : null;
            return new Row(record, new Violation(null, Rules.UNBALANCED_QUOTE, column, null,
                    Map.of("line", r.line())));
        }
        if (r.problem() == DelimitedReader.Problem.TOO_LONG) {
            long chars = r.chars();
            values.replaceAll((k, v) -> v.length() <= KEPT_OF_OVERSIZED_VALUE ? v
                    : v.substring(0, KEPT_OF_OVERSIZED_VALUE) + "… [cut by Ponte: the row has " + chars
                    + " characters]");
            String longest = values.entrySet().stream().max(Map.Entry.comparingByValue(
                    java.util.Comparator.comparingInt(String::length))).map(Map.Entry::getKey).orElse(null);
            return new Row(record, new Violation(null, Rules.ROW_TOO_LONG, longest, null,
                    Map.of("actual", chars, "limit", MAX_ROW_CHARS)));
        }
        if (r.fields().size() != header.size()) {
            return new Row(record, new Violation(null, Rules.MALFORMED_ROW, null, null,
                    Map.of("expected", header.size(), "actual", r.fields().size())));
        }
        return new Row(record, contentProblem(values));
    }

    /** Bytes that did not decode, mis-declared UTF-8, or control characters, in the first column that has them. */
    private Violation contentProblem(Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String v = e.getValue();
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 ? c != '\t' && c != '\n' && c != '\r' : c == 0x7F) {
                    return new Violation(null, Rules.CONTROL_CHARACTER, e.getKey(), null,
                            Map.of("code", String.format("U+%04X", (int) c), "position", i + 1));
                }
                if (c == '\uFFFD') {
                    return new Violation(null, Rules.INVALID_ENCODING, e.getKey(), null, Map.of("encoding",
                            encoding.name(), "other", latin1 ? "UTF-8" : "ISO-8859-1"));
                }
                if (latin1 && (c == '\u00C3' || c == '\u00C2') && i + 1 < v.length()
                        && v.charAt(i + 1) >= '\u0080' && v.charAt(i + 1) <= '\u00BF') {
                    return new Violation(null, Rules.ENCODING_MISMATCH, e.getKey(), null,
                            Map.of("encoding", encoding.name()));
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
