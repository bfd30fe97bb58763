package dev.ponte.connectors.fiscal;

/**
 * One way a document breaks the official schema.
 *
 * @param line    1-based line of the document, -1 when unknown
 * @param column  1-based column, -1 when unknown
 * @param element path of the element the validator was in, {@code /DPS/infDPS/serv/cServ/cTribNac}; empty for
 *                problems outside any element (not well-formed, refused DOCTYPE)
 * @param message the validator's message; values of the taker's and intermediary's elements, and of the NF-e's
 *                recipient ({@code dest}) (personal data) are masked as {@code '***'}
 */
public record SchemaProblem(int line, int column, String element, String message) {

    @Override
    public String toString() {
        return "line " + line + ", column " + column + (element.isEmpty() ? "" : ", " + element) + ": " + message;
    }
}
