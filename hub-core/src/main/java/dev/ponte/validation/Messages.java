package dev.ponte.validation;

import dev.ponte.glossary.Glossary;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders violations as sentences in Brazilian Portuguese or English. Thread safe. */
public final class Messages {

    public static final Locale PT_BR = Locale.forLanguageTag("pt-BR");
    public static final Locale EN = Locale.ENGLISH;
    static final String BUNDLE = "dev.ponte.validation.rules";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
    private static final ResourceBundle.Control NO_FALLBACK =
            ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);

    private final Glossary glossary;

    public Messages(Glossary glossary) {
        this.glossary = glossary;
    }

    /** The message template of a rule in a language (pt-BR or en); the rule id itself when there is none. */
    public static String template(String rule, Locale locale) {
        try {
            return bundle(locale).getString(rule);
        } catch (MissingResourceException e) {
            return rule;
        }
    }

    static ResourceBundle bundle(Locale locale) {
        Locale l = locale.getLanguage().equals("pt") ? PT_BR : Locale.ROOT;
        return ResourceBundle.getBundle(BUNDLE, l, Messages.class.getClassLoader(), NO_FALLBACK);
    }

    /**
     * A rule's message in a language with its placeholders filled from {@code values}; a placeholder without a
     * value stays as written.
     */
    public static String format(String rule, Locale locale, Map<String, Object> values) {
        Matcher m = PLACEHOLDER.matcher(template(rule, locale));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Object value = values.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(value == null ? m.group() : String.valueOf(value)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The violation as one sentence in the given language. */
    public String render(Violation v, Locale locale) {
        boolean pt = locale.getLanguage().equals("pt");
        Map<String, Object> values = new HashMap<>(v.args());
        values.put("field", v.path() == null ? (pt ? "o registro" : "the record") : label(v.path(), locale));
        values.put("source", v.sourceField() == null ? (pt ? "(sem campo de origem)" : "(no source field)")
                : v.sourceField());
        values.put("value", v.value() == null ? "" : v.value());
        return format(v.rule(), locale, values);
    }

    /** "Data de nascimento (Patient.birthDate)": the glossary label followed by the canonical path. */
    public String label(String path, Locale locale) {
        String term = term(path, locale);
        return term.equals(path) ? path : term + " (" + path + ")";
    }

    /** The glossary label of a canonical path ("Data de nascimento"), or the path when the glossary lacks it. */
    public String term(String path, Locale locale) {
        return glossary.resolve(path).map(t -> t.label(locale)).orElse(path);
    }
}
