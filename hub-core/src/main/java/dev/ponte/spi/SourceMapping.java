package dev.ponte.spi;

/**
 * What a source connector may know of one mapping of its folder: which source it reads and where. The field
 * mapping itself (columns to canonical fields, transforms, validation) stays the hub's.
 *
 * @since 0.2
 */
public interface SourceMapping {

    /** The mapping's name, as {@link InboundChunk#mapping()} names it. */
    String name();

    /** Name and version, e.g. {@code patients@3}, for import counters and logs. */
    String id();

    /**
     * The canonical entity it produces, e.g. {@code Patient}: the name of its rows in counters, reports and dead
     * letters when several mappings read one file ({@link Mappings#sourceName}).
     *
     * @since 0.5
     */
    String entity();

    /** The source system, e.g. {@code legacy-clinic}. */
    String system();

    /** {@code csv}, {@code fixed-width}, {@code jdbc}... */
    String format();

    /** The file-name pattern it reads (file formats), else {@code null}. */
    String file();

    /** The table it reads ({@code jdbc}), else {@code null}. */
    String table();

    /** The watermark column of the table ({@code jdbc}), else {@code null}. */
    String watermark();
}
