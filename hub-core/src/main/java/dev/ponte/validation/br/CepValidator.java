package dev.ponte.validation.br;

/** Validates {@link Cep}. */
public final class CepValidator extends RuleCheckingValidator<Cep> {
    @Override
    protected String brokenRule(String value) {
        return BrazilianIds.isCep(value) ? null : "invalid-cep";
    }
}
