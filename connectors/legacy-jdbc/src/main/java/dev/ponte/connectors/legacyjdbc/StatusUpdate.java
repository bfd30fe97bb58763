package dev.ponte.connectors.legacyjdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code status-update} option read: one SQL {@code UPDATE} with named placeholders ({@code :status}, {@code :id}
 * and optionally {@code :updatedAt}), turned into the text of a {@link java.sql.PreparedStatement} ({@code ?} for
 * each placeholder) and the order of its parameters. Values are always bound, never put into the text.
 *
 * <p>What it refuses, naming the problem: anything but one {@code UPDATE ... SET ... WHERE ...} statement (a second
 * statement after {@code ;}, an UPDATE without WHERE, which would change every row), comments, {@code ?} parameters,
 * a placeholder other than the three, and a statement without {@code :status} or {@code :id}. String literals
 * ({@code '...'}) and quoted identifiers ({@code "..."}) are skipped; {@code ::} (a PostgreSQL cast) is not a
 * placeholder.
 */
record StatusUpdate(String sql, List<String> parameters) {

    static final String STATUS = "status";
    static final String ID = "id";
    static final String UPDATED_AT = "updatedAt";
    private static final Set<String> ALLOWED = Set.of(STATUS, ID, UPDATED_AT);

    StatusUpdate {
        parameters = List.copyOf(parameters);
    }

    /**
     * Reads the option's text.
     *
     * @throws IllegalArgumentException with words for the admin starting with "must" (the hub prefixes the key)
     */
    static StatusUpdate parse(String text) {
        String s = text.strip();
        if (s.endsWith(";")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        StringBuilder out = new StringBuilder(s.length());
        List<String> params = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char ch = s.charAt(i);
            if (ch == '\'' || ch == '"') {
                int end = s.indexOf(ch, i + 1);
                while (end > 0 && end + 1 < s.length() && s.charAt(end + 1) == ch) {
                    end = s.indexOf(ch, end + 2); // a doubled quote inside the literal
                }
                if (end < 0) {
                    throw new IllegalArgumentException("must be one SQL UPDATE statement; a quote (" + ch
                            + ") is not closed");
                }
                out.append(s, i, end + 1);
                i = end + 1;
            } else if (ch == ';') {
                throw new IllegalArgumentException("must be one SQL UPDATE statement, not several (a ; inside it)");
            } else if (ch == '?') {
                throw new IllegalArgumentException("must use the named placeholders :status, :id and :updatedAt, "
                        + "not ? parameters");
            } else if ((ch == '-' && s.startsWith("--", i)) || (ch == '/' && s.startsWith("/*", i))) {
                throw new IllegalArgumentException("must not contain SQL comments");
            } else if (ch == ':' && i + 1 < s.length() && s.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (ch == ':' && i + 1 < s.length() && Character.isJavaIdentifierStart(s.charAt(i + 1))) {
                int end = i + 1;
                while (end < s.length() && Character.isJavaIdentifierPart(s.charAt(end))) {
                    end++;
                }
                String name = s.substring(i + 1, end);
                if (!ALLOWED.contains(name)) {
                    throw new IllegalArgumentException("must use only the placeholders :status, :id and :updatedAt;"
                            + " :" + name + " is not one of them");
                }
                params.add(name);
                out.append('?');
                i = end;
            } else {
                out.append(ch);
                i++;
            }
        }
        String upper = out.toString().toUpperCase(Locale.ROOT);
        if (!upper.matches("(?s)UPDATE\\s.+\\sSET\\s.+\\sWHERE\\s.+")) {
            throw new IllegalArgumentException("must be one SQL statement of the form UPDATE <table> SET ... = :status"
                    + " WHERE ... = :id (an UPDATE without WHERE would change every row)");
        }
        if (!params.contains(STATUS) || !params.contains(ID)) {
            throw new IllegalArgumentException("must use both :status (the new value) and :id (the appointment's id"
                    + " in the legacy system)");
        }
        return new StatusUpdate(out.toString(), params);
    }
}
