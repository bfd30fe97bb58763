package dev.ponte.glossary;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the canonical field a name means — a mistyped target ({@code cpff}), a source column
 * ({@code telefone_celular}), a word an admin would use ({@code mobile}) — through everything the glossary knows of a
 * field: its name, its synonyms in source systems and its labels in both languages. Names are compared without case,
 * accents or separators, and word by word ({@code DATA_NASC}, {@code dataNasc} and {@code data nasc} are the same
 * words). Stateless and thread safe.
 */
public final class FieldMatcher {

    /** How a name matched a field, best first; {@link #why} says it in words. */
    public enum How { NAME, SYNONYM, LABEL, WORDS, SPELLING }

    /**
     * A field that a name plausibly means.
     *
     * @param field the field ({@code mobilePhone})
     * @param how   how it matched
     * @param via   what it matched: the synonym, the label, the field name
     * @param score lower is closer: exact matches below 3, word matches 9 to 20, spellings above 20
     */
    public record Match(String field, How how, String via, double score) {
        /** "label 'Celular'", for messages. */
        public String why() {
            return switch (how) {
                case NAME -> "the field's name";
                case SYNONYM -> "a known synonym '" + via + "'";
                case LABEL -> "its label '" + via + "'";
                case WORDS -> "the words of '" + via + "'";
                case SPELLING -> "close to '" + via + "'";
            };
        }
    }

    private FieldMatcher() {
    }

    /** The best match among {@code terms} for {@code name}, if one is plausible. */
    public static Optional<Match> best(Collection<Term> terms, String name) {
        if (name == null || name.isBlank()) {
            return Optional.empty();
        }
        String flat = flat(name);
        Set<String> words = words(name);
        // in how many fields each word occurs (names, synonyms, labels): a word of one field says more than a word of
        // many ("celular" is one field, "telefone" several), which breaks ties between word matches
        java.util.Map<String, Integer> fieldsWith = new java.util.HashMap<>();
        for (Term t : terms) {
            Set<String> all = new LinkedHashSet<>(words(t.field()));
            t.synonyms().forEach(x -> all.addAll(words(x)));
            t.labels().values().forEach(x -> all.addAll(words(x)));
            all.forEach(w -> fieldsWith.merge(w, 1, Integer::sum));
        }
        Match best = null;
        double bestScore = Double.MAX_VALUE;
        for (Term t : terms) {
            List<Object[]> candidates = new ArrayList<>(); // {How, text}
            candidates.add(new Object[]{How.NAME, t.field()});
            t.synonyms().forEach(s -> candidates.add(new Object[]{How.SYNONYM, s}));
            t.labels().values().forEach(l -> candidates.add(new Object[]{How.LABEL, l}));
            for (Object[] c : candidates) {
                How how = (How) c[0];
                String text = (String) c[1];
                double score;
                if (flat(text).equals(flat)) {
                    score = how.ordinal(); // exact, without case, accents or separators
                } else {
                    Set<String> theirs = words(text);
                    if (!words.isEmpty() && theirs.containsAll(words)) {
                        // every word of the name is a word of the field's (mobile → Mobile phone): fewer extra words
                        // is closer
                        score = 10 + theirs.size() - words.size() - (how == How.LABEL ? 0.1 : 0);
                        how = How.WORDS;
                    } else if (!theirs.isEmpty() && words.containsAll(theirs)) {
                        // every word of the field's is in the name (telefone_celular ⊇ Celular): fewer extra is closer
                        double specificity = theirs.stream().mapToDouble(w -> 1.0 / fieldsWith.getOrDefault(w, 1))
                                .sum();
                        // a label is a phrase a person wrote for this field: its words count more than a column's
                        score = 15 + words.size() - theirs.size() - specificity / 2 - (how == How.LABEL ? 0.1 : 0);
                        how = How.WORDS;
                    } else if (how != How.LABEL) {
                        int distance = EditDistance.between(flat(text), flat);
                        if (distance > Math.max(1, Math.min(2, flat.length() / 3))) {
                            continue;
                        }
                        score = 20 + distance;
                        how = How.SPELLING;
                    } else {
                        continue;
                    }
                }
                if (score < bestScore || score == bestScore && t.field().compareTo(best.field()) < 0) {
                    bestScore = score;
                    best = new Match(t.field(), how, text, score);
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Lower case, no accents, letters and digits only: {@code Data_Nasc.} → {@code datanasc}. */
    static String flat(String s) {
        return stripAccents(s).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /**
     * The words of a name, split at separators and at camel case, without accents and case, ignoring words of one
     * letter: {@code telefone_celular}, {@code telefoneCelular} and {@code Telefone celular} are {telefone, celular}.
     */
    static Set<String> words(String s) {
        String spaced = stripAccents(s).replaceAll("([a-z0-9])([A-Z])", "$1 $2");
        Set<String> out = new LinkedHashSet<>();
        for (String w : spaced.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
            if (w.length() > 1) {
                out.add(w);
            }
        }
        return out;
    }

    private static String stripAccents(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
    }
}
