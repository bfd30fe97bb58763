package dev.ponte.mapping;

import dev.ponte.mapping.TransformLibrary.BadArgument;
import dev.ponte.mapping.TransformLibrary.Step;
import dev.ponte.validation.br.BrazilianIds;
import dev.ponte.validation.br.Phones;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.ponte.mapping.TransformLibrary.requireScalar;
import static dev.ponte.mapping.TransformLibrary.text;

/** Text to text: clean-up, unmasking, "no value" markers, defaults and phone numbers. */
final class TextTransforms {

    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextTransforms() {
    }

    static Transform trim(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("trim", String::strip);
    }

    static Transform upper(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("upper", s -> s.toUpperCase(Locale.ROOT));
    }

    static Transform lower(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("lower", s -> s.toLowerCase(Locale.ROOT));
    }

    static Transform collapseSpaces(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("collapse-spaces", s -> SPACES.matcher(s.strip()).replaceAll(" "));
    }

    static Transform digits(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("digits", BrazilianIds::digitsOnly);
    }

    static Transform cnpj(Node arg, Kind kind, TransformLibrary.Context ctx) {
        return text("cnpj", BrazilianIds::unmaskCnpj);
    }

    static Transform nullIf(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Set<String> values = new HashSet<>();
        if (YamlNodes.isSequence(arg)) {
            YamlNodes.items(arg).forEach(n -> values.add(String.valueOf(YamlNodes.text(n)).strip().toUpperCase(Locale.ROOT)));
        } else {
            values.add(requireScalar(arg, "null-if: [PARTICULAR, '-']").strip().toUpperCase(Locale.ROOT));
        }
        return new Step("null-if", Kind.TEXT, Kind.TEXT,
                (v, r) -> v == null || values.contains(((String) v).strip().toUpperCase(Locale.ROOT)) ? null : v);
    }

    static Transform defaultValue(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        String value = requireScalar(arg, "give the value to use when the cell is empty: default: 0");
        return new Step("default", Kind.TEXT, Kind.TEXT, (v, r) -> v == null ? value : v);
    }

    static Transform phone(Node arg, Kind kind, TransformLibrary.Context ctx) throws BadArgument {
        Map<String, NodeTuple> opts = YamlNodes.entries(arg);
        String area = opts.containsKey("default-area-code")
                ? YamlNodes.text(opts.get("default-area-code").getValueNode()) : null;
        if (area != null && !area.matches("\\d{2}")) {
            throw new BadArgument("default-area-code is a two-digit DDD such as 11, not '" + area + "'");
        }
        return new Step("phone", Kind.TEXT, Kind.TEXT, (v, r) -> {
            if (v == null) {
                return null;
            }
            return Phones.toE164((String) v, area).orElseThrow(() -> new TransformFailure("invalid-phone", Map.of()));
        });
    }
}
