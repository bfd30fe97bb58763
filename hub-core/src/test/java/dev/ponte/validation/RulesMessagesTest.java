package dev.ponte.validation;

import dev.ponte.model.CanonicalModel;
import jakarta.validation.Constraint;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RulesMessagesTest {

    @Test
    void everyRuleHasAMessageInBothLanguages() {
        for (String rule : Rules.ALL) {
            String en = Messages.template(rule, Messages.EN);
            String pt = Messages.template(rule, Messages.PT_BR);
            assertThat(en).as("en message of %s", rule).isNotEqualTo(rule);
            assertThat(pt).as("pt-BR message of %s", rule).isNotEqualTo(rule).isNotEqualTo(en);
        }
    }

    @Test
    void ruleIdsAreUnique() {
        assertThat(new HashSet<>(Rules.ALL)).hasSameSizeAs(Rules.ALL);
    }

    @Test
    void everyConstraintOfTheModelResolvesToAKnownRule() {
        List<String> unknown = new ArrayList<>();
        Set<Class<?>> all = new HashSet<>(CanonicalModel.types().values());
        for (Class<?> type : all) {
            for (Field f : type.getDeclaredFields()) {
                List<Annotation> annotations = new ArrayList<>(List.of(f.getAnnotations()));
                if (f.getAnnotatedType() instanceof AnnotatedParameterizedType p) {
                    annotations.addAll(List.of(p.getAnnotatedActualTypeArguments()[0].getAnnotations()));
                }
                for (Annotation a : annotations) {
                    if (!a.annotationType().isAnnotationPresent(Constraint.class)) {
                        continue;
                    }
                    String template;
                    try {
                        template = (String) a.annotationType().getMethod("message").invoke(a);
                    } catch (ReflectiveOperationException e) {
                        throw new AssertionError(e);
                    }
                    String rule = RecordValidator.ruleOf(template, a);
                    if (!Rules.ALL.contains(rule)) {
                        unknown.add(type.getSimpleName() + "." + f.getName() + " @" + a.annotationType().getSimpleName()
                                + " → " + rule);
                    }
                }
            }
        }
        assertThat(unknown).isEmpty();
    }
}
