package dev.ponte.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (what a Prometheus server scrapes): HELP and TYPE
 * lines, samples with labels (escapes {@code \\}, {@code \"}, {@code \n}), float values with {@code NaN} and
 * {@code ±Inf}, optional timestamps. It refuses what a scraper refuses: a malformed line, a TYPE after a sample of its
 * family or twice, an unknown type, a duplicate series, histogram buckets that decrease or whose {@code +Inf} bucket
 * is not the count.
 */
final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    final List<Sample> samples = new ArrayList<>();
    final Map<String, String> types = new HashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText out = new PrometheusText();
        Set<String> sampled = new java.util.HashSet<>();
        Set<String> series = new java.util.HashSet<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    String family = parts[2];
                    String type = parts.length == 4 ? parts[3].strip() : "";
                    require(NAME.matcher(family).matches(), n, "bad metric name in TYPE: " + line);
                    require(TYPES.contains(type), n, "unknown type '" + type + "'");
                    require(out.types.put(family, type) == null, n, "second TYPE for " + family);
                    require(!sampled.contains(family), n, "TYPE of " + family + " after its samples");
                } else if (parts.length >= 3 && parts[1].equals("HELP")) {
                    require(NAME.matcher(parts[2]).matches(), n, "bad metric name in HELP: " + line);
                }
                continue;
            }
            Sample s = sample(line, n);
            out.samples.add(s);
            sampled.add(family(s.name(), out.types));
            require(series.add(s.name() + new TreeMap<>(s.labels())), n, "duplicate series " + s.name() + s.labels());
        }
        out.checkHistograms();
        return out;
    }

    private static String family(String name, Map<String, String> types) {
        for (String suffix : new String[]{"_bucket", "_sum", "_count", "_total", "_created"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    private static Sample sample(String line, int n) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(NAME.matcher(name).matches(), n, "bad metric name '" + name + "'");
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                require(eq > i, n, "label without '='");
                String label = line.substring(i, eq);
                require(LABEL.matcher(label).matches(), n, "bad label name '" + label + "'");
                require(line.charAt(eq + 1) == '"', n, "label value not quoted");
                StringBuilder value = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char next = line.charAt(++j);
                        require(next == '\\' || next == '"' || next == 'n', n, "bad escape \\" + next);
                        value.append(next == 'n' ? '\n' : next);
                    } else {
                        value.append(c);
                    }
                }
                require(labels.put(label, value.toString()) == null, n, "label " + label + " twice");
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String[] rest = line.substring(i).strip().split(" ");
        require(rest.length == 1 || rest.length == 2, n, "expected a value and an optional timestamp: " + line);
        double value = switch (rest[0]) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(rest[0]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + n + ": value '" + rest[0] + "' is not a float");
                }
            }
        };
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("line " + n + ": timestamp '" + rest[1] + "' is not an integer");
            }
        }
        return new Sample(name, labels, value);
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) {
                return;
            }
            Map<Map<String, String>, List<Sample>> buckets = new HashMap<>();
            for (Sample s : samples) {
                if (s.name().equals(family + "_bucket")) {
                    Map<String, String> others = new TreeMap<>(s.labels());
                    require(others.remove("le") != null, 0, family + "_bucket without le");
                    buckets.computeIfAbsent(others, k -> new ArrayList<>()).add(s);
                }
            }
            buckets.forEach((labels, list) -> {
                double last = -1;
                double inf = Double.NaN;
                for (Sample b : list) {
                    require(b.value() >= last, 0, family + " buckets decrease at le=" + b.labels().get("le"));
                    last = b.value();
                    if (b.labels().get("le").equals("+Inf")) {
                        inf = b.value();
                    }
                }
                double count = value(family + "_count", labels);
                require(inf == count, 0, family + labels + ": +Inf bucket " + inf + " is not the count " + count);
            });
        });
    }

    /** The value of one series (exactly these labels); fails when there is none. */
    double value(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && new TreeMap<>(s.labels()).equals(
                new TreeMap<>(labels))).mapToDouble(Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + name + labels));
    }

    /** The samples of a name whose labels include these. */
    List<Sample> matching(String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                && s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    private static void require(boolean ok, int line, String what) {
        if (!ok) {
            throw new IllegalArgumentException((line > 0 ? "line " + line + ": " : "") + what);
        }
    }
}
