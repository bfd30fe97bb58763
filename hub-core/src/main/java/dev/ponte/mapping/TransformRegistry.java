package dev.ponte.mapping;

import org.yaml.snakeyaml.nodes.Node;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every transform a mapping may use, one entry each: its name in mapping files, the shape of its argument, what it
 * does in one line, and the factory that compiles it. The transform names of the compiler
 * ({@link TransformLibrary#NAMES}), of the JSON Schema ({@code mappings/schema/mapping.schema.json}) and of the
 * README's transform table come from, or are checked against, this list.
 */
public final class TransformRegistry {

    /** Whether a transform is written with an argument. */
    public enum Argument {
        /** Only as its bare name: {@code trim}. */
        NONE,
        /** As its bare name or as a one-key map with an argument: {@code decimal} or {@code {decimal: en}}. */
        OPTIONAL,
        /** Only as a one-key map with an argument: {@code {date: dd/MM/yyyy}}. */
        REQUIRED
    }

    /** Compiles one transform from its argument ({@code null} when written as a bare name). */
    @FunctionalInterface
    interface Factory {
        Transform create(Node arg, Kind kind, TransformLibrary.Context ctx) throws TransformLibrary.BadArgument;
    }

    /** One transform of the library. */
    public static final class Entry {
        private final String name;
        private final Argument argument;
        private final String description;
        private final Factory factory;

        private Entry(String name, Argument argument, String description, Factory factory) {
            this.name = name;
            this.argument = argument;
            this.description = description;
            this.factory = factory;
        }

        /** The name in mapping files. */
        public String name() {
            return name;
        }

        /** Whether it is written with an argument. */
        public Argument argument() {
            return argument;
        }

        /** What it does, in one line. */
        public String description() {
            return description;
        }

        Transform create(Node arg, Kind kind, TransformLibrary.Context ctx) throws TransformLibrary.BadArgument {
            return factory.create(arg, kind, ctx);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("trim", Argument.NONE, "remove leading and trailing whitespace", TextTransforms::trim),
            new Entry("upper", Argument.NONE, "upper case", TextTransforms::upper),
            new Entry("lower", Argument.NONE, "lower case", TextTransforms::lower),
            new Entry("collapse-spaces", Argument.NONE, "trim and collapse inner whitespace",
                    TextTransforms::collapseSpaces),
            new Entry("digits", Argument.NONE, "keep digits only (CPF, CEP, card numbers)", TextTransforms::digits),
            new Entry("cnpj", Argument.NONE, "unmask a CNPJ, numeric or alphanumeric", TextTransforms::cnpj),
            new Entry("null-if", Argument.REQUIRED, "these values mean \"no value\"", TextTransforms::nullIf),
            new Entry("default", Argument.REQUIRED, "value when the cell is empty", TextTransforms::defaultValue),
            new Entry("date", Argument.REQUIRED, "text to date with a strict pattern", TemporalTransforms::date),
            new Entry("time", Argument.REQUIRED, "text to time with a strict pattern", TemporalTransforms::time),
            new Entry("datetime", Argument.OPTIONAL, "text to date-time in the source zone: ISO 8601 (default), a "
                    + "pattern, or a date and a time column", TemporalTransforms::datetime),
            new Entry("decimal", Argument.OPTIONAL, "text to number, pt-BR (default) or en; R$ allowed",
                    NumberTransforms::decimal),
            new Entry("integer", Argument.NONE, "text to whole number", NumberTransforms::integer),
            new Entry("boolean", Argument.OPTIONAL, "S/SIM/Y/TRUE/1 and N/NÃO/NO/FALSE/0, or your lists",
                    NumberTransforms::bool),
            new Entry("phone", Argument.OPTIONAL, "Brazilian phone to E.164; optional DDD for local numbers",
                    TextTransforms::phone),
            new Entry("map", Argument.REQUIRED, "value map; unmapped values rejected unless otherwise: keep | null",
                    TranslationTransforms::valueMap),
            new Entry("lookup", Argument.REQUIRED, "translate through a lookup table; otherwise as for map",
                    TranslationTransforms::lookup),
            new Entry("concat", Argument.OPTIONAL, "join several columns (separator: one space by default)",
                    ColumnTransforms::concat),
            new Entry("split", Argument.REQUIRED, "one part of a delimited value", ColumnTransforms::split),
            new Entry("first-non-empty", Argument.NONE, "several columns: the first cell that is not empty",
                    ComputedTransforms::firstNonEmpty),
            new Entry("plus-duration", Argument.REQUIRED, "a date-time or time plus minutes or hours: a constant or "
                    + "a column", ComputedTransforms::plusDuration),
            new Entry("sum", Argument.OPTIONAL, "several columns added up: pt-BR (default), en or integer; empty "
                    + "counts as 0", ComputedTransforms::sum),
            new Entry("difference", Argument.OPTIONAL, "the first column minus the others; arguments as for sum",
                    ComputedTransforms::difference),
            new Entry("multiply", Argument.REQUIRED, "a number times a constant, HALF_EVEN to 2 places",
                    ComputedTransforms::multiply),
            new Entry("percent", Argument.REQUIRED, "that percentage of a number, HALF_EVEN to 2 places",
                    ComputedTransforms::percent),
            new Entry("part", Argument.REQUIRED, "a part of a date or date-time: date, time, year, month, day, "
                    + "weekday, hour, minute", ComputedTransforms::part),
            // compiled by TransformLibrary itself, which sees its then and else: reached only as a bare name
            new Entry("if", Argument.REQUIRED, "conditional on the value or another column: equals, in, empty, "
                    + "matches; then and else pipelines", (arg, kind, ctx) -> {
                throw new TransformLibrary.BadArgument("needs a condition and pipelines: {if: {column: C, equals: X},"
                        + " then: [...], else: [...]}");
            }));

    private static final Map<String, Entry> BY_NAME = new LinkedHashMap<>();

    static {
        ENTRIES.forEach(e -> {
            if (BY_NAME.put(e.name(), e) != null) {
                throw new IllegalStateException("two transforms named " + e.name());
            }
        });
    }

    private TransformRegistry() {
    }

    /** Every transform, in the order of the README's table. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The transform with this name, if any. */
    public static Optional<Entry> entry(String name) {
        return Optional.ofNullable(name == null ? null : BY_NAME.get(name));
    }

    /** The names of every transform, sorted. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(BY_NAME.keySet()));
    }
}
