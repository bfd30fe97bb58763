package dev.ponte.messaging;

import dev.ponte.spi.MessageEvents;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a patient's reply means, by the configured words and button payloads only: a whole reply equal to a keyword
 * (ignoring case, accents, spaces and final punctuation), or a button whose payload is one. Anything else is
 * {@link MessageEvents.Intent#UNKNOWN}: recorded for a person, never guessed.
 */
public final class Intents {

    private final Map<String, Set<String>> keywords;

    public Intents(Map<String, Set<String>> keywords) {
        this.keywords = Map.copyOf(keywords);
    }

    public MessageEvents.Intent classify(String text, String button) {
        for (String candidate : new String[]{button, text}) {
            if (candidate == null) {
                continue;
            }
            String n = normalize(candidate);
            for (Map.Entry<String, Set<String>> e : keywords.entrySet()) {
                if (e.getValue().contains(n)) {
                    return MessageEvents.Intent.valueOf(e.getKey().toUpperCase(Locale.ROOT));
                }
            }
        }
        return MessageEvents.Intent.UNKNOWN;
    }

    /** Lower case, no accents, no surrounding spaces or final punctuation: {@code " Sim! "} → {@code sim}. */
    static String normalize(String s) {
        String n = Normalizer.normalize(s.strip(), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        return n.replaceAll("[\\s.!,;:?]+$", "").replaceAll("^[\\s]+", "");
    }
}
