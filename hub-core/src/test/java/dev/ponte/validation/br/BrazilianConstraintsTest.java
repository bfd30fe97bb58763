package dev.ponte.validation.br;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The annotations as Bean Validation runs them: each violation names its rule in the message template. */
class BrazilianConstraintsTest {

    record Sample(@Cpf String cpf, @Cnpj String cnpj, @Cep String cep, @Uf String uf, @Phone String phone) {
    }

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void setUp() {
        factory = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void tearDown() {
        factory.close();
    }

    private static Set<String> templates(Sample s) {
        return validator.validate(s).stream()
                .map(v -> v.getPropertyPath() + "=" + v.getMessageTemplate()).collect(Collectors.toSet());
    }

    @Test
    void validValuesAndNullsPass() {
        assertThat(validator.validate(new Sample("52998224725", "12ABC34501DE35", "13745642", "SP", "+5511991214283")))
                .isEmpty();
        assertThat(validator.validate(new Sample(null, null, null, null, null))).isEmpty();
    }

    @Test
    void eachInvalidValueNamesItsRule() {
        Set<String> got = templates(new Sample("52998224726", "1122233300018", "1374564", "XX", "+551234"));
        assertThat(got).containsExactlyInAnyOrder("cpf={ponte.rule.cpf-check-digit}", "cnpj={ponte.rule.cnpj-format}",
                "cep={ponte.rule.invalid-cep}", "uf={ponte.rule.unknown-state}", "phone={ponte.rule.invalid-phone}");
    }

    @Test
    void maskedCpfIsAFormatProblem() {
        Set<ConstraintViolation<Sample>> v = validator.validate(new Sample("529.982.247-25", null, null, null, null));
        assertThat(v).extracting(ConstraintViolation::getMessageTemplate).containsExactly("{ponte.rule.cpf-format}");
    }
}
