package dev.ponte.glossary;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One canonical field as the glossary describes it.
 *
 * @param path          {@code Entity.field}, e.g. {@code Patient.cpf}
 * @param type          glossary type: {@code string, integer, decimal, money, boolean, date, time, datetime,
 *                      instant, enum, ref:<Entity>, list<T>} or the name of a value type ({@code Address})
 * @param format        unit or format in words ("11 digits, no mask"); may be empty
 * @param required      whether a record without it is rejected
 * @param allowedValues for {@code enum} fields, the values in order; empty otherwise
 * @param labels        label per language tag ({@code pt-BR}, {@code en})
 * @param definition    what the field means, in the clinic's words
 * @param sensitivity   LGPD class, drives masking
 * @param synonyms      names the field has in source systems (column names, API fields)
 * @param templateChannels channels ({@code WHATSAPP}, {@code SMS}, {@code EMAIL}) on which a message template may
 *                      show a {@code health} field; empty: none (other sensitivities are not restricted)
 */
public record Term(String path, String type, String format, boolean required, List<String> allowedValues,
                   Map<String, String> labels, String definition, Sensitivity sensitivity, List<String> synonyms,
                   List<String> templateChannels) {

    public String entity() {
        return path.substring(0, path.indexOf('.'));
    }

    public String field() {
        return path.substring(path.indexOf('.') + 1);
    }

    /** The label in the given language, falling back to English. */
    public String label(Locale locale) {
        String tag = locale.toLanguageTag();
        String label = labels.get(tag);
        if (label == null) {
            label = labels.get(locale.getLanguage());
        }
        return label != null ? label : labels.getOrDefault("en", path);
    }

    /** For {@code ref:X} and {@code list<X>}, X; for other types, the type itself. */
    public String elementType() {
        if (type.startsWith("ref:")) {
            return type.substring(4);
        }
        if (type.startsWith("list<") && type.endsWith(">")) {
            return type.substring(5, type.length() - 1);
        }
        return type;
    }
}
