package dev.ponte.validation.br;

/** Validates {@link Uf}. */
public final class UfValidator extends RuleCheckingValidator<Uf> {
    @Override
    protected String brokenRule(String value) {
        return BrazilianIds.isState(value) ? null : "unknown-state";
    }
}
