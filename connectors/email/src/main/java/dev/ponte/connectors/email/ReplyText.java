package dev.ponte.connectors.email;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the patient wrote in a reply, without what mail clients add below it: the quoted original ({@code > …}), the
 * attribution line before it ("On … wrote:", "Em … escreveu:", possibly wrapped over two or three lines), Outlook's
 * "-----Original Message-----" / "-----Mensagem original-----" or its "From:"/"De:" header block, and a signature
 * after "-- ". Pure functions.
 */
final class ReplyText {

    /** At most this many lines are kept: a patient's answer is short, the rest is noise for the hub. */
    static final int MAX_LINES = 20;

    private static final Pattern ATTRIBUTION_START = Pattern.compile("(?i)^\\s*(on|em|el|le)\\s.+");
    private static final Pattern ATTRIBUTION_END = Pattern.compile("(?is).*(wrote|escreveu|escribió|a écrit)\\s*:\\s*$");
    private static final Pattern SEPARATOR = Pattern.compile(
            "(?i)^\\s*(-{2,}\\s*(original message|mensagem original|mensaje original)\\s*-{2,}|_{10,})\\s*$");
    private static final Pattern HEADER_BLOCK = Pattern.compile("(?i)^\\s*\\*?(from|de|sent|enviado)\\s*:\\*?\\s.+");

    private ReplyText() {
    }

    /** The first lines of {@code text} above the quoted part, trimmed; empty when nothing is left. */
    static String firstLines(String text) {
        if (text == null) {
            return "";
        }
        String[] lines = text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith(">") || line.equals("-- ") || SEPARATOR.matcher(line).matches()
                    || isAttribution(lines, i) || isHeaderBlock(lines, i)) {
                break;
            }
            kept.add(line.stripTrailing());
        }
        while (!kept.isEmpty() && kept.get(kept.size() - 1).isBlank()) {
            kept.remove(kept.size() - 1);
        }
        while (!kept.isEmpty() && kept.get(0).isBlank()) {
            kept.remove(0);
        }
        return String.join("\n", kept.subList(0, Math.min(kept.size(), MAX_LINES)));
    }

    private static boolean isAttribution(String[] lines, int i) {
        if (!ATTRIBUTION_START.matcher(lines[i]).matches()) {
            return false;
        }
        StringBuilder joined = new StringBuilder();
        for (int j = i; j < Math.min(lines.length, i + 3); j++) {
            joined.append(lines[j]).append(' ');
            if (ATTRIBUTION_END.matcher(joined.toString().strip()).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Outlook's quoted header block: "From: …" followed within two lines by "Sent:"/"Enviado:"/"To:"/"Para:". */
    private static boolean isHeaderBlock(String[] lines, int i) {
        if (!HEADER_BLOCK.matcher(lines[i]).matches()) {
            return false;
        }
        for (int j = i + 1; j < Math.min(lines.length, i + 3); j++) {
            String l = lines[j].strip().toLowerCase(Locale.ROOT).replace("*", "");
            if (l.startsWith("sent:") || l.startsWith("enviado:") || l.startsWith("to:") || l.startsWith("para:")
                    || l.startsWith("date:") || l.startsWith("data:")) {
                return true;
            }
        }
        return false;
    }
}
