package dev.ponte.validation.br;

/** Validates {@link Cnpj}. */
public final class CnpjValidator extends RuleCheckingValidator<Cnpj> {
    @Override
    protected String brokenRule(String value) {
        return BrazilianIds.cnpjProblem(value);
    }
}
