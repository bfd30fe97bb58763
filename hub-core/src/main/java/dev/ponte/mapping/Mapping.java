package dev.ponte.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Term;
import dev.ponte.json.Json;
import dev.ponte.validation.Provenance;
import dev.ponte.validation.RecordValidator;
import dev.ponte.validation.ReferenceCatalog;
import dev.ponte.validation.Rules;
import dev.ponte.validation.Violation;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded, checked mapping file: turns source records of one shape into canonical records of one entity type.
 * Immutable and thread safe. Load with {@link MappingLoader}.
 */
public final class Mapping {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final String name;
    private final int version;
    private final String description;
    private final SourceOptions source;
    private final Class<? extends Record> target;
    private final List<FieldMapping> fields;
    private final Provenance provenance;
    /** Record component index of each field, when every field is a plain top-level one; {@code null} otherwise. */
    private final int[] componentOf;
    private final java.lang.reflect.Constructor<? extends Record> constructor;
    /** The file's text as loaded, or {@code null} for mappings not loaded from a file. */
    private String text;

    Mapping(String name, int version, String description, SourceOptions source, Class<? extends Record> target,
            List<FieldMapping> fields) {
        this.name = name;
        this.version = version;
        this.description = description;
        this.source = source;
        this.target = target;
        this.fields = List.copyOf(fields);
        Map<String, String> columns = new LinkedHashMap<>();
        for (FieldMapping f : fields) {
            if (f.sourceField() != null) {
                columns.putIfAbsent(Provenance.normalize(f.target().toString()), f.sourceField());
            }
        }
        this.provenance = new Provenance(columns);
        int[] plan = new int[this.fields.size()];
        java.lang.reflect.RecordComponent[] components = target.getRecordComponents();
        java.lang.reflect.Constructor<? extends Record> ctor = null;
        for (int i = 0; plan != null && i < plan.length; i++) {
            String field = this.fields.get(i).target().topLevelField();
            plan[i] = -1;
            for (int j = 0; field != null && j < components.length; j++) {
                if (components[j].getName().equals(field) && !components[j].getType().isPrimitive()
                        && !java.util.Collection.class.isAssignableFrom(components[j].getType())
                        && !components[j].getType().isRecord()) {
                    plan[i] = j;
                }
            }
            if (plan[i] < 0) {
                plan = null;
            }
        }
        if (plan != null) {
            try {
                ctor = target.getDeclaredConstructor(java.util.Arrays.stream(components)
                        .map(java.lang.reflect.RecordComponent::getType).toArray(Class<?>[]::new));
                for (java.lang.reflect.RecordComponent c : components) {
                    if (c.getType().isPrimitive()) { // an unmapped primitive would need its JSON default
                        plan = null;
                        ctor = null;
                        break;
                    }
                }
            } catch (NoSuchMethodException e) {
                plan = null;
            }
        }
        this.componentOf = plan;
        this.constructor = ctor;
    }

    /** This mapping with the text of the file it was loaded from: set once, by the loader, before it is shared. */
    Mapping withText(String fileText) {
        this.text = fileText;
        return this;
    }

    /** The text of the file this version was loaded from, as it was then; {@code null} if not loaded from a file. */
    public String text() {
        return text;
    }

    /** SHA-256 of {@link #text()} in hex: identifies a version's content in its history. */
    public String contentHash() {
        return text == null ? null : hashOf(text);
    }

    /** The content hash of a mapping file's text (a leading byte-order mark is not content). */
    public static String hashOf(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public String name() {
        return name;
    }

    public int version() {
        return version;
    }

    /** {@code name@version}, as recorded with every event and dead letter. */
    public String id() {
        return name + "@" + version;
    }

    public String description() {
        return description;
    }

    public SourceOptions source() {
        return source;
    }

    public Class<? extends Record> target() {
        return target;
    }

    /** Every source column the mapping reads, in order of first use. */
    public Set<String> columns() {
        Set<String> out = new LinkedHashSet<>();
        if (source.key() != null) {
            out.add(source.key());
        }
        fields.forEach(f -> out.addAll(f.columns()));
        return out;
    }

    /** Source columns that feed a sensitive canonical field, with the strictest sensitivity they feed. */
    public Map<String, dev.ponte.glossary.Sensitivity> sensitiveColumns() {
        Map<String, dev.ponte.glossary.Sensitivity> out = new LinkedHashMap<>();
        for (FieldMapping f : fields) {
            dev.ponte.glossary.Sensitivity s = f.target().leaf().sensitivity();
            if (s != dev.ponte.glossary.Sensitivity.NONE) {
                f.columns().forEach(c -> out.merge(c, s, (a, b) -> a.compareTo(b) >= 0 ? a : b));
            }
        }
        return out;
    }

    public Provenance provenance() {
        return provenance;
    }

    /**
     * Maps a record without validating it: transform failures (bad date, unknown code) are the only violations.
     */
    public MappedRecord map(SourceRecord row) {
        String key = source.key() == null ? null : TransformLibrary.blankToNull(row.get(source.key()));
        Object[] values = new Object[fields.size()];
        List<Violation> violations = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            FieldMapping f = fields.get(i);
            Term term = f.target().leaf();
            String path = target.getSimpleName() + "." + f.target();
            Object value;
            try {
                value = f.pipeline().run(f.input(row), row);
            } catch (TransformFailure failure) {
                String column = failure.column() != null ? failure.column() : f.sourceField();
                violations.add(new Violation(path, failure.rule(), column,
                        term.sensitivity().mask(f.rawValue(row, failure.column())), failure.args()));
                continue;
            }
            if (value != null && !term.allowedValues().isEmpty() && !term.allowedValues().contains(value.toString())) {
                violations.add(new Violation(path, Rules.UNKNOWN_VALUE, f.sourceField(),
                        term.sensitivity().mask(f.rawValue(row, null)),
                        Map.of("allowed", String.join(", ", term.allowedValues()))));
                continue;
            }
            values[i] = value;
        }
        if (!violations.isEmpty()) {
            return MappedRecord.rejected(row.line(), key, violations);
        }
        Record direct = construct(values);
        if (direct != null) {
            return new MappedRecord(row.line(), key, direct, List.of());
        }
        ObjectNode root = NODES.objectNode();
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                fields.get(i).target().write(root, toJson(values[i]));
            }
        }
        try {
            return new MappedRecord(row.line(), key, Json.MAPPER.treeToValue(root, target), List.of());
        } catch (Exception e) {
            // every field was type-checked at load time, so this is a bug or a glossary/model drift: keep the record
            return MappedRecord.rejected(row.line(), key, List.of(new Violation(null, Rules.MAPPING_ERROR, null, null,
                    Map.of("detail", e.getClass().getSimpleName()))));
        }
    }

    /**
     * The fast path: the record built with its constructor, when every field is a plain top-level one and every value
     * already has its component's type (or names one of its enum constants). {@code null} sends the record through
     * JSON instead, which gives the same record for the same values, only slower.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Record construct(Object[] values) {
        if (constructor == null) {
            return null;
        }
        Object[] args = new Object[constructor.getParameterCount()];
        Class<?>[] types = constructor.getParameterTypes();
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                continue;
            }
            Class<?> type = types[componentOf[i]];
            if (type.isInstance(v)) {
                args[componentOf[i]] = v;
            } else if (type.isEnum() && v instanceof String s) {
                try {
                    args[componentOf[i]] = Enum.valueOf((Class<Enum>) type, s);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            } else {
                return null;
            }
        }
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Maps a record and, if that succeeds, validates the canonical record. */
    public MappedRecord apply(SourceRecord row, RecordValidator validator, ReferenceCatalog catalog) {
        MappedRecord mapped = map(row);
        if (!mapped.accepted()) {
            return mapped;
        }
        List<Violation> violations = validator.validate(mapped.entity(), provenance, catalog);
        return violations.isEmpty() ? mapped : MappedRecord.rejected(row.line(), mapped.sourceKey(), violations);
    }

    private static JsonNode toJson(Object value) {
        if (value instanceof String s) {
            return NODES.textNode(s);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Integer i) {
            return NODES.numberNode(i);
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        return NODES.textNode(value.toString()); // LocalDate, LocalTime, OffsetDateTime: ISO-8601
    }
}
