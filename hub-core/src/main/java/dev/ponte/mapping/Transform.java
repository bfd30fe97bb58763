package dev.ponte.mapping;

/**
 * One step of a field's pipeline, from the fixed transform library ({@link TransformLibrary}). Transforms are
 * immutable and thread safe; none executes code supplied by a mapping file.
 */
public interface Transform {

    /** The kind of value this step accepts. */
    Kind input();

    /** The kind of value this step produces. */
    Kind output();

    /**
     * Applies the step. {@code null} stands for "no value" (an empty cell); most transforms pass it through.
     *
     * @param value a value of {@link #input()} kind, or {@code null}; a {@code List<String>} for {@link Kind#LIST}
     * @param row   the whole source record, for transforms whose condition looks at another column
     * @return a value of {@link #output()} kind, or {@code null}
     * @throws TransformFailure when the value cannot be converted; its rule id says why
     */
    Object apply(Object value, SourceRecord row) throws TransformFailure;
}
