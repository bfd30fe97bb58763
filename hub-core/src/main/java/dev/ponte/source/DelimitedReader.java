package dev.ponte.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A forgiving reader of delimited text (RFC 4180 quoting: {@code "a ""b"""}; quoted values may span lines), built
 * so that one damaged record never costs the records after it:
 * <ul>
 *   <li>memory is bounded: a record longer than {@code maxRecordChars} is read to its end but only its first
 *       {@code maxRecordChars} characters are kept, and it comes back marked {@link Problem#TOO_LONG};</li>
 *   <li>a quote that is never closed (end of file, or the record outgrows the limit while inside quotes) comes back
 *       as {@link Problem#UNBALANCED_QUOTE} holding only its first line, and reading goes on with the next line;</li>
 *   <li>the caller may also {@link #rewindAfterFirstLine give back} a record that spanned lines but turned out wrong
 *       (too many or too few columns): a quote opened by mistake closed on a later line. The lines after the first
 *       are then read again as records of their own.</li>
 * </ul>
 * Empty lines are skipped. {@code "a"b} is read leniently as {@code ab}. Not thread safe.
 */
final class DelimitedReader implements Closeable {

    /** What is structurally wrong with a record, independent of any header. */
    enum Problem { TOO_LONG, UNBALANCED_QUOTE }

    /**
     * One record.
     *
     * @param line         physical line (1-based) the record starts on
     * @param fields       its values; for {@link Problem#UNBALANCED_QUOTE} only what its first line holds
     * @param problem      {@code null} when the record is well formed
     * @param lines        how many physical lines it spans
     * @param openColumn   for {@link Problem#UNBALANCED_QUOTE}, the index of the column whose quote is not closed
     * @param chars        its length in characters (also what was dropped beyond the limit)
     */
    record Record(long line, List<String> fields, Problem problem, int lines, int openColumn, long chars,
                  String tail, int firstLineFields, String firstLineField) {
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final int maxRecordChars;
    private final char[] buffer = new char[1 << 16];
    private int pos;
    private int limit;
    /** Text given back by {@link #rewindAfterFirstLine} (or an unclosed quote), read before {@link #in}. */
    private String pending;
    private int pendingPos;
    private long line = 1;

    DelimitedReader(Reader in, char delimiter, int maxRecordChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxRecordChars = maxRecordChars;
    }

    private int read() throws IOException {
        if (pending != null) {
            if (pendingPos < pending.length()) {
                return pending.charAt(pendingPos++);
            }
            pending = null;
        }
        if (pos == limit) {
            limit = in.read(buffer, 0, buffer.length);
            pos = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[pos++];
    }

    private void unread(int c) {
        if (c == EOF) {
            return;
        }
        if (pending != null) {
            pendingPos--;
        } else {
            pos--;
        }
    }

    /** The next record, or {@code null} at the end of the input. */
    Record next() throws IOException {
        int c = read();
        while (c == '\n' || c == '\r') { // empty lines
            newline(c);
            c = read();
        }
        if (c == EOF) {
            return null;
        }
        long start = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        StringBuilder tail = null; // raw text after the first line end, once a quoted value spans lines
        int firstLineFields = -1;
        String firstLineField = null;
        long chars = 0;
        boolean quoted = false;
        boolean afterQuote = false; // inside a quoted value, just after a quote: an escape or the end
        boolean fieldStart = true;
        while (true) {
            if (tail != null && c != EOF) {
                if (tail.length() < maxRecordChars) {
                    tail.append((char) c);
                } else if (quoted) { // the quote has run away: give back what follows the first line
                    unread(c);
                    return unbalanced(start, fields, firstLineFields, firstLineField, tail, chars);
                }
            }
            if (c == EOF) {
                if (quoted && !afterQuote) {
                    return unbalanced(start, fields, firstLineFields,
                            firstLineField != null ? firstLineField : field.toString(), tail, chars);
                }
                fields.add(field.toString());
                return finish(start, fields, chars, tail, firstLineFields, firstLineField);
            }
            if (quoted && !afterQuote) {
                if (c == '"') {
                    afterQuote = true;
                } else {
                    if (c == '\r' || c == '\n') {
                        boolean firstLineEnd = tail == null;
                        if (firstLineEnd) {
                            firstLineFields = fields.size();
                            firstLineField = field.toString();
                            tail = new StringBuilder();
                        }
                        if (c == '\r') {
                            int n = read();
                            if (n == '\n') {
                                if (!firstLineEnd) {
                                    tail.append('\n');
                                }
                                append(field, '\r', chars++);
                                c = '\n';
                            } else {
                                unread(n);
                            }
                        }
                        line++;
                    }
                    append(field, (char) c, chars++);
                }
            } else if (afterQuote && c == '"') {
                append(field, '"', chars++);
                afterQuote = false;
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                quoted = false;
                afterQuote = false;
                fieldStart = true;
                chars++;
                c = read();
                continue;
            } else if (c == '\r' || c == '\n') {
                newline(c);
                fields.add(field.toString());
                return finish(start, fields, chars, tail, firstLineFields, firstLineField);
            } else if (fieldStart && c == '"') {
                quoted = true;
                chars++;
            } else if (afterQuote && tail != null) {
                // a quote opened by mistake was closed by a quote on a later line: give those lines back
                return unbalanced(start, fields, firstLineFields, firstLineField, tail, chars);
            } else {
                // plain text, or text after a closing quote ("a"b is read as ab)
                quoted = false;
                afterQuote = false;
                append(field, (char) c, chars++);
            }
            fieldStart = false;
            c = read();
        }
    }

    private void append(StringBuilder field, char c, long charsSoFar) {
        if (charsSoFar < maxRecordChars) {
            field.append(c);
        }
    }

    private void newline(int c) throws IOException {
        if (c == '\r') {
            int n = read();
            if (n != '\n') {
                unread(n);
            }
        }
        line++;
    }

    private Record finish(long start, List<String> fields, long chars, StringBuilder tail, int firstLineFields,
                          String firstLineField) {
        return new Record(start, fields, chars > maxRecordChars ? Problem.TOO_LONG : null,
                (int) Math.max(1, line - start), -1,
                chars, tail == null ? null : tail.toString(), firstLineFields, firstLineField);
    }

    private Record unbalanced(long start, List<String> fields, int firstLineFields, String firstLineField,
                              StringBuilder tail, long chars) {
        List<String> firstLine = new ArrayList<>(fields.subList(0, firstLineFields < 0 ? fields.size()
                : firstLineFields));
        int open = firstLine.size();
        firstLine.add(firstLineField == null ? "" : firstLineField);
        Record r = new Record(start, firstLine, Problem.UNBALANCED_QUOTE, 1, open, chars, null, -1, null);
        if (tail != null) {
            giveBack(start, tail.toString());
        }
        return r;
    }

    /**
     * Reads the lines after the first line of a record again, as records of their own: for a record that spanned
     * lines because a quote was opened by mistake. Returns what the first line alone holds.
     *
     * @throws IllegalArgumentException when the record did not span lines
     */
    Record rewindAfterFirstLine(Record r) {
        if (r.tail() == null) {
            throw new IllegalArgumentException("record at line " + r.line() + " is on one line");
        }
        giveBack(r.line(), r.tail());
        List<String> firstLine = new ArrayList<>(r.fields().subList(0, r.firstLineFields()));
        firstLine.add(r.firstLineField());
        return new Record(r.line(), firstLine, Problem.UNBALANCED_QUOTE, 1, r.firstLineFields(), r.chars(), null, -1,
                null);
    }

    private void giveBack(long startLine, String text) {
        String rest = pending == null ? "" : pending.substring(pendingPos);
        pending = text + rest;
        pendingPos = 0;
        line = startLine + 1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
