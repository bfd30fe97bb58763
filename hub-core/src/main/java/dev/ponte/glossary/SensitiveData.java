package dev.ponte.glossary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Masks the sensitive fields of a canonical record's JSON form, as the glossary classifies them, before it is shown
 * to someone (previews, dead-letter views, the admin API). Personal values keep their last two characters; health
 * and financial values, and whole sensitive lists or objects, are replaced.
 */
public final class SensitiveData {

    private final Glossary glossary;

    public SensitiveData(Glossary glossary) {
        this.glossary = glossary;
    }

    /** A masked deep copy of {@code record}, a JSON object of canonical type {@code type}. */
    public JsonNode mask(String type, JsonNode record) {
        JsonNode copy = record.deepCopy();
        if (copy instanceof ObjectNode object) {
            maskObject(type, object);
        }
        return copy;
    }

    private void maskObject(String type, ObjectNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            Term term = glossary.term(type + "." + field.getKey()).orElse(null);
            JsonNode value = field.getValue();
            if (term == null || value.isNull()) {
                continue;
            }
            Sensitivity s = term.sensitivity();
            if (value.isContainerNode()) {
                if (s == Sensitivity.HEALTH || s == Sensitivity.FINANCIAL) {
                    field.setValue(TextNode.valueOf(s.mask("x")));
                } else if (value instanceof ObjectNode nested) {
                    maskObject(term.elementType(), nested);
                } else if (value instanceof ArrayNode array) {
                    array.forEach(e -> {
                        if (e instanceof ObjectNode o) {
                            maskObject(term.elementType(), o);
                        }
                    });
                }
            } else if (s != Sensitivity.NONE) {
                field.setValue(TextNode.valueOf(s.mask(value.asText())));
            }
        }
    }
}
