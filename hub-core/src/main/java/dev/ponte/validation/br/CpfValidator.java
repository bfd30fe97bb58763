package dev.ponte.validation.br;

/** Validates {@link Cpf}. */
public final class CpfValidator extends RuleCheckingValidator<Cpf> {
    @Override
    protected String brokenRule(String value) {
        return BrazilianIds.cpfProblem(value);
    }
}
