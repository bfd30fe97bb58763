package dev.ponte.validation;

import dev.ponte.glossary.Glossary;
import dev.ponte.glossary.Sensitivity;
import dev.ponte.glossary.Term;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.hibernate.validator.HibernateValidator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates a canonical record: Bean Validation constraints of the model (Hibernate Validator) plus the clinic rules,
 * and turns every problem into a {@link Violation} that names the canonical path, the rule, the source column and the
 * value, masked when the glossary marks the field sensitive. Thread safe; build one and share it.
 */
public final class RecordValidator implements AutoCloseable {

    private final Glossary glossary;
    private final ValidatorFactory factory;
    private final Validator validator;

    /**
     * @param glossary for field sensitivity and formats
     * @param clock    "now" for past/future checks (birth dates); inject a fixed clock in tests
     */
    public RecordValidator(Glossary glossary, Clock clock) {
        this.glossary = glossary;
        this.factory = Validation.byProvider(HibernateValidator.class).configure()
                .clockProvider(() -> clock)
                .messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        this.validator = factory.getValidator();
    }

    /**
     * All violations of a record, sorted by path then rule; empty when the record is valid.
     *
     * @param entity     a canonical entity
     * @param provenance where each field came from, to name the source column; {@link Provenance#NONE} if unknown
     * @param catalog    other entities, for reference and cross-entity rules; {@link ReferenceCatalog#NONE} skips them
     */
    public List<Violation> validate(Record entity, Provenance provenance, ReferenceCatalog catalog) {
        String type = entity.getClass().getSimpleName();
        List<Violation> out = new ArrayList<>();
        for (ConstraintViolation<Record> cv : validator.validate(entity)) {
            String path = type + "." + cv.getPropertyPath();
            Annotation constraint = cv.getConstraintDescriptor().getAnnotation();
            Map<String, Object> args = new LinkedHashMap<>();
            cv.getConstraintDescriptor().getAttributes().forEach((k, v) -> {
                if (k.equals("max") || k.equals("min") || k.equals("value")) {
                    args.put(k, v);
                }
            });
            glossary.resolve(path).ifPresent(t -> args.put("format", t.format().isEmpty() ? t.type() : t.format()));
            out.add(violation(path, ruleOf(cv.getMessageTemplate(), constraint), cv.getInvalidValue(), args,
                    provenance));
        }
        for (Finding f : ClinicRules.check(entity, catalog)) {
            out.add(violation(type + "." + f.field(), f.rule(), f.rawValue(), f.args(), provenance));
        }
        out.sort(Comparator.comparing(Violation::path).thenComparing(Violation::rule));
        return out;
    }

    private Violation violation(String path, String rule, Object raw, Map<String, Object> args, Provenance provenance) {
        Sensitivity s = glossary.resolve(path).map(Term::sensitivity).orElse(Sensitivity.PERSONAL);
        return new Violation(path, rule, provenance.sourceOf(path), raw == null ? null : s.mask(String.valueOf(raw)),
                args);
    }

    static String ruleOf(String template, Annotation constraint) {
        if (template.startsWith(Rules.TEMPLATE_PREFIX) && template.endsWith("}")) {
            return template.substring(Rules.TEMPLATE_PREFIX.length(), template.length() - 1);
        }
        return Rules.STANDARD_CONSTRAINTS.getOrDefault(constraint.annotationType(), Rules.INVALID_FORMAT);
    }

    public Glossary glossary() {
        return glossary;
    }

    @Override
    public void close() {
        factory.close();
    }
}
