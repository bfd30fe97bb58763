package dev.ponte.inbound;

import dev.ponte.mapping.Mapping;
import dev.ponte.spi.SourceMapping;

/** A {@link Mapping} as a connector sees it ({@link SourceMapping}). */
public record SourceMappingView(Mapping mapping) implements SourceMapping {

    @Override
    public String name() {
        return mapping.name();
    }

    @Override
    public String id() {
        return mapping.id();
    }

    @Override
    public String entity() {
        return mapping.target().getSimpleName();
    }

    @Override
    public String system() {
        return mapping.source().system();
    }

    @Override
    public String format() {
        return mapping.source().format();
    }

    @Override
    public String file() {
        return mapping.source().file();
    }

    @Override
    public String table() {
        return mapping.source().table();
    }

    @Override
    public String watermark() {
        return mapping.source().watermark();
    }
}
