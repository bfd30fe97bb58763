package dev.ponte.mapping;

import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one mapping file while it loads, so that all of them are reported together. */
final class Problems {
    private final String file;
    private final List<MappingProblem> list = new ArrayList<>();

    Problems(String file) {
        this.file = file;
    }

    void add(Node at, String field, String message) {
        add(at == null ? 0 : at.getStartMark().getLine() + 1, field, message);
    }

    void add(int line, String field, String message) {
        list.add(new MappingProblem(file, line, field, message));
    }

    boolean isEmpty() {
        return list.isEmpty();
    }

    int size() {
        return list.size();
    }

    List<MappingProblem> list() {
        return list;
    }

    String file() {
        return file;
    }
}
