package dev.ponte.validation.br;

/** Validates {@link Phone}. */
public final class PhoneValidator extends RuleCheckingValidator<Phone> {
    @Override
    protected String brokenRule(String value) {
        return Phones.isE164(value) ? null : "invalid-phone";
    }
}
