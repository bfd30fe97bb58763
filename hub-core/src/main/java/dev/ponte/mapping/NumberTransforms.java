package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static dev.ponte.mapping.TransformLibrary.upperTexts;

/** Text to numbers and booleans. */
final class NumberTransforms {

    private static final Pattern PT_BR_NUMBER = Pattern.compile("-?(\\d{1,3}(\\.\\d{3})+|\\d+)(,\\d+)?");
    private static final Pattern EN_NUMBER = Pattern.compile("-?(\\d{1,3}(,\\d{3})+|\\d+)(\\.\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,9}");

    private NumberTransforms() {
    }

    static Transform decimal(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String locale = arg == null ? "pt-BR" : opts.containsKey("locale")
                ? YamlNodes.text(opts.get("locale").getValueNode()) : YamlNodes.text(arg);
        boolean br = brazilian(locale);
        return new Step("decimal", Kind.TEXT, Kind.DECIMAL, (v, r) -> v == null ? null : parse((String) v, br, null));
    }

    /** {@code pt-BR} → true, {@code en} → false, for the {@code locale} arguments of number transforms. */
    static boolean brazilian(String locale) throws BadArgument {
        if ("pt-BR".equals(locale)) {
            return true;
        }
        if ("en".equals(locale)) {
            return false;
        }
        throw new BadArgument("locale must be pt-BR (1.234,56) or en (1,234.56), not '" + locale + "'");
    }

    /**
     * A number as written in pt-BR ({@code 1.234,56}) or en ({@code 1,234.56}); {@code R$} allowed.
     *
     * @param column the column at fault, for transforms over several columns; {@code null} for the field's own
     */
    static BigDecimal parse(String text, boolean br, String column) throws TransformFailure {
        String s = text.strip().replace(" ", "");
        if (s.startsWith("R$")) {
            s = s.substring(2);
        }
        if (!(br ? PT_BR_NUMBER : EN_NUMBER).matcher(s).matches()) {
            throw new TransformFailure("invalid-number", Map.of("expected", "a number like "
                    + (br ? "1.234,56" : "1,234.56")), column);
        }
        return new BigDecimal(br ? s.replace(".", "").replace(',', '.') : s.replace(",", ""));
    }

    /** A whole number, or {@code invalid-number} naming {@code column} (the field's own when {@code null}). */
    static int parseInteger(String text, String column) throws TransformFailure {
        String s = text.strip();
        if (!INTEGER.matcher(s).matches()) {
            throw new TransformFailure("invalid-number", Map.of("expected", "a whole number"), column);
        }
        return Integer.parseInt(s);
    }

    static Transform integer(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return new Step("integer", Kind.TEXT, Kind.INTEGER, (v, r) -> v == null ? null : parseInteger((String) v, null));
    }

    static Transform bool(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Set<String> yes = new HashSet<>(List.of("S", "SIM", "Y", "YES", "TRUE", "1", "V", "VERDADEIRO"));
        Set<String> no = new HashSet<>(List.of("N", "NAO", "NÃO", "NO", "FALSE", "0", "F", "FALSO"));
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        if (arg != null && !YamlNodes.isNull(arg)) {
            if (!opts.containsKey("true") || !opts.containsKey("false")) {
                throw new BadArgument("give both lists, e.g. boolean: {true: [S], false: [N]}");
            }
            yes = upperTexts(opts.get("true").getValueNode());
            no = upperTexts(opts.get("false").getValueNode());
        }
        Set<String> t = yes;
        Set<String> f = no;
        return new Step("boolean", Kind.TEXT, Kind.BOOLEAN, (v, r) -> {
            if (v == null) {
                return null;
            }
            String s = ((String) v).strip().toUpperCase(Locale.ROOT);
            if (t.contains(s)) {
                return Boolean.TRUE;
            }
            if (f.contains(s)) {
                return Boolean.FALSE;
            }
            throw new TransformFailure("invalid-boolean", Map.of("allowed", String.join(", ", new TreeSet<>(t)) + " / "
                    + String.join(", ", new TreeSet<>(f))));
        });
    }
}
