package dev.ponte.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The loaded templates, by id and language. */
public final class TemplateSet {

    private final Map<String, Template> byKey = new LinkedHashMap<>();

    public TemplateSet(List<Template> templates) {
        for (Template t : templates) {
            byKey.put(t.id() + "." + t.language(), t);
        }
    }

    /** The template in a language, else in the default language. */
    public Optional<Template> find(String id, String language, String defaultLanguage) {
        Template t = byKey.get(id + "." + language);
        return Optional.ofNullable(t != null ? t : byKey.get(id + "." + defaultLanguage));
    }

    public List<Template> all() {
        return List.copyOf(byKey.values());
    }
}
