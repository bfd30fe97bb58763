package dev.ponte.connectors.fiscal;

/**
 * Why a DPS cannot be built from canonical records: which record, which field, what is wrong. Never holds the
 * value of a personal field, only its name.
 *
 * @param entity  canonical entity ({@code Charge}, {@code Patient}, {@code Procedure})
 * @param id      the record's id or code, {@code ?} when it has none
 * @param field   the canonical field ({@code cpf}, {@code serviceItem})
 * @param message what is wrong and what the NFS-e needs
 */
public record CanonicalProblem(String entity, String id, String field, String message) {

    @Override
    public String toString() {
        return entity + " " + id + ": " + field + " " + message;
    }
}
