package dev.ponte.mapping;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast reader agrees with the strict formatter of the same pattern, on success and on failure. */
class FixedWidthPatternTest {

    private static DateTimeFormatter strict(String pattern) {
        return DateTimeFormatter.ofPattern(pattern.replace('y', 'u'), Locale.ROOT)
                .withResolverStyle(ResolverStyle.STRICT);
    }

    private static String outcome(Function<String, Object> parse, String text) {
        try {
            return String.valueOf(parse.apply(text));
        } catch (DateTimeException e) {
            return "error";
        }
    }

    private static List<String> candidates(String shape, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        String alphabet = "0123456789/:-. a٣";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < shape.length(); j++) {
                char c = shape.charAt(j);
                // mostly digits where the pattern has letters, sometimes anything, sometimes a length change
                sb.append(Character.isLetter(c) && r.nextInt(20) > 0 ? (char) ('0' + r.nextInt(10))
                        : r.nextInt(25) == 0 ? alphabet.charAt(r.nextInt(alphabet.length())) : c);
            }
            if (r.nextInt(50) == 0) {
                sb.append('1');
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void datesAgreeWithTheStrictFormatter() {
        for (String pattern : List.of("dd/MM/yyyy", "yyyy-MM-dd", "dd.MM.yyyy", "yyyyMMdd")) {
            FixedWidthPattern fast = FixedWidthPattern.compile(pattern);
            assertThat(fast).as(pattern).isNotNull();
            DateTimeFormatter f = strict(pattern);
            List<String> inputs = new ArrayList<>(candidates(pattern, pattern.hashCode()));
            inputs.addAll(List.of(f.format(LocalDate.of(2024, 2, 29)), f.format(LocalDate.of(2000, 1, 1)),
                    pattern.replace("dd", "29").replace("MM", "02").replace("yyyy", "2025"),
                    pattern.replace("dd", "31").replace("MM", "04").replace("yyyy", "2026"),
                    pattern.replace("dd", "00").replace("MM", "01").replace("yyyy", "2026"), ""));
            for (String text : inputs) {
                assertThat(outcome(fast::date, text)).as("%s on '%s'", pattern, text)
                        .isEqualTo(outcome(t -> LocalDate.parse(t, f), text));
            }
        }
    }

    @Test
    void timesAgreeWithTheStrictFormatter() {
        for (String pattern : List.of("HH:mm", "HH:mm:ss", "HHmm")) {
            FixedWidthPattern fast = FixedWidthPattern.compile(pattern);
            assertThat(fast).as(pattern).isNotNull();
            DateTimeFormatter f = strict(pattern);
            List<String> inputs = new ArrayList<>(candidates(pattern, pattern.hashCode()));
            inputs.addAll(List.of("24:00", "23:59", "00:00", "12:60", "7:30", "07:30:60"));
            for (String text : inputs) {
                assertThat(outcome(fast::time, text)).as("%s on '%s'", pattern, text)
                        .isEqualTo(outcome(t -> LocalTime.parse(t, f), text));
            }
        }
    }

    @Test
    void patternsWithVariableWidthsOrTextHaveNoFastReader() {
        for (String pattern : List.of("d/M/yyyy", "dd/MMM/yyyy", "dd/MM/yy", "'T'HH:mm", "h:mm a", "[dd/]MM/yyyy")) {
            assertThat(FixedWidthPattern.compile(pattern)).as(pattern).isNull();
        }
    }
}
