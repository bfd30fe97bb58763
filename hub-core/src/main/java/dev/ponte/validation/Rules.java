package dev.ponte.validation;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

/**
 * Every rule id the hub can reject a record with, in one place. Ids are stable: admins filter dead letters by them
 * and scripts match on them, so an id is never renamed or reused. Each id has a message in pt-BR and en in
 * {@code dev/ponte/validation/rules*.properties} (a test checks both).
 */
public final class Rules {

    // Reading and mapping
    public static final String MALFORMED_ROW = "malformed-row";
    public static final String UNBALANCED_QUOTE = "unbalanced-quote";
    public static final String ROW_TOO_LONG = "row-too-long";
    public static final String INVALID_ENCODING = "invalid-encoding";
    public static final String ENCODING_MISMATCH = "encoding-mismatch";
    public static final String CONTROL_CHARACTER = "control-character";
    public static final String INVALID_DATE = "invalid-date";
    public static final String INVALID_TIME = "invalid-time";
    public static final String INVALID_DATETIME = "invalid-datetime";
    public static final String INVALID_NUMBER = "invalid-number";
    public static final String INVALID_BOOLEAN = "invalid-boolean";
    public static final String UNKNOWN_VALUE = "unknown-value";
    public static final String MAPPING_ERROR = "mapping-error";

    // Field constraints (Bean Validation)
    public static final String REQUIRED = "required";
    public static final String CPF_FORMAT = "cpf-format";
    public static final String CPF_CHECK_DIGIT = "cpf-check-digit";
    public static final String CNPJ_FORMAT = "cnpj-format";
    public static final String CNPJ_CHECK_DIGIT = "cnpj-check-digit";
    public static final String INVALID_CEP = "invalid-cep";
    public static final String UNKNOWN_STATE = "unknown-state";
    public static final String INVALID_PHONE = "invalid-phone";
    public static final String INVALID_EMAIL = "invalid-email";
    public static final String DATE_IN_FUTURE = "date-in-future";
    public static final String DATE_IN_PAST = "date-in-past";
    public static final String NEGATIVE_AMOUNT = "negative-amount";
    public static final String NOT_POSITIVE = "not-positive";
    public static final String TOO_LONG = "too-long";
    public static final String INVALID_FORMAT = "invalid-format";
    public static final String OUT_OF_RANGE = "out-of-range";

    // Cross-field and cross-entity clinic rules (ClinicRules)
    public static final String UNKNOWN_REFERENCE = "unknown-reference";
    public static final String END_BEFORE_START = "end-before-start";
    public static final String SERVICE_NEEDS_LC116_ITEM = "service-needs-lc116-item";
    public static final String PRODUCT_NEEDS_NCM = "product-needs-ncm";
    public static final String UPFRONT_PACKAGE_NEEDS_PRICE = "upfront-package-needs-price";
    public static final String SESSIONS_EXCEED_TOTAL = "sessions-exceed-total";
    public static final String SESSION_BALANCE_MISMATCH = "session-balance-mismatch";
    public static final String INSURANCE_NEEDS_AUTHORIZATION = "insurance-needs-authorization";
    public static final String INSURANCE_NOT_COVERED = "insurance-not-covered";

    // Booking checks (ClinicRules.booking): flags for review, never rejections
    public static final String CHART_MISSING = "chart-missing";
    public static final String CHART_FIELD_MISSING = "chart-field-missing";
    public static final String PRICE_UNDEFINED = "price-undefined";
    public static final String INSURANCE_COVERAGE_UNKNOWN = "insurance-coverage-unknown";
    public static final String PACKAGE_UNKNOWN = "package-enrollment-unknown";

    // Clinic flows
    /** A session deducted from a package that has none left: the attempt is a dead letter naming the enrollment. */
    public static final String PACKAGE_EXHAUSTED = "package-exhausted";
    /** A source's Charge names an appointment the hub charged already: one of them must go. */
    public static final String CHARGED_TWICE = "charged-twice";
    public static final String MESSAGE_NEEDS_CONSENT = "message-needs-consent";
    public static final String SKIN_TEST_RESULT_NEEDS_DATE = "skin-test-result-needs-date";
    public static final String SKIN_TEST_EXPIRES_BEFORE_PERFORMED = "skin-test-expires-before-performed";
    public static final String PAYMENTS_EXCEED_CHARGE = "payments-exceed-charge";

    // Storing
    /** The database refused the row's data (a value too long for its column, a constraint): set aside alone. */
    public static final String STORE_REFUSED = "store-refused";

    // Delivery
    public static final String RETRIES_EXHAUSTED = "retries-exhausted";
    public static final String REMOTE_REJECTED = "remote-rejected";
    /** The sink failed with an exception outside the error contract (a bug): dead-lettered at once, not retried. */
    public static final String INTERNAL_ERROR = "internal-error";
    /** A message on a sink's queue is not an outbound command: a local problem, nothing was sent. */
    public static final String UNREADABLE_COMMAND = "unreadable-command";

    /** Every rule id above. */
    public static final List<String> ALL = List.of(MALFORMED_ROW, UNBALANCED_QUOTE,
            ROW_TOO_LONG, INVALID_ENCODING, ENCODING_MISMATCH, CONTROL_CHARACTER, INVALID_DATE, INVALID_TIME, INVALID_DATETIME,
            INVALID_NUMBER, INVALID_BOOLEAN, UNKNOWN_VALUE, MAPPING_ERROR, REQUIRED, CPF_FORMAT, CPF_CHECK_DIGIT,
            CNPJ_FORMAT, CNPJ_CHECK_DIGIT, INVALID_CEP, UNKNOWN_STATE, INVALID_PHONE, INVALID_EMAIL, DATE_IN_FUTURE,
            DATE_IN_PAST, NEGATIVE_AMOUNT, NOT_POSITIVE, TOO_LONG, INVALID_FORMAT, OUT_OF_RANGE, UNKNOWN_REFERENCE,
            END_BEFORE_START, SERVICE_NEEDS_LC116_ITEM, PRODUCT_NEEDS_NCM,
            UPFRONT_PACKAGE_NEEDS_PRICE, SESSIONS_EXCEED_TOTAL, SESSION_BALANCE_MISMATCH,
            INSURANCE_NEEDS_AUTHORIZATION, INSURANCE_NOT_COVERED, MESSAGE_NEEDS_CONSENT,
            SKIN_TEST_RESULT_NEEDS_DATE, SKIN_TEST_EXPIRES_BEFORE_PERFORMED, PAYMENTS_EXCEED_CHARGE,
            CHART_MISSING, CHART_FIELD_MISSING, PRICE_UNDEFINED, INSURANCE_COVERAGE_UNKNOWN, PACKAGE_UNKNOWN, PACKAGE_EXHAUSTED,
            CHARGED_TWICE,
            STORE_REFUSED, RETRIES_EXHAUSTED, REMOTE_REJECTED, INTERNAL_ERROR, UNREADABLE_COMMAND);

    /** The rule each standard Bean Validation constraint of the model stands for. */
    static final Map<Class<? extends Annotation>, String> STANDARD_CONSTRAINTS = Map.ofEntries(
            Map.entry(NotNull.class, REQUIRED), Map.entry(NotBlank.class, REQUIRED), Map.entry(NotEmpty.class, REQUIRED),
            Map.entry(Email.class, INVALID_EMAIL), Map.entry(Past.class, DATE_IN_FUTURE),
            Map.entry(PastOrPresent.class, DATE_IN_FUTURE), Map.entry(Future.class, DATE_IN_PAST),
            Map.entry(PositiveOrZero.class, NEGATIVE_AMOUNT), Map.entry(Positive.class, NOT_POSITIVE),
            Map.entry(Size.class, TOO_LONG), Map.entry(Pattern.class, INVALID_FORMAT),
            Map.entry(Min.class, OUT_OF_RANGE), Map.entry(Max.class, OUT_OF_RANGE),
            Map.entry(DecimalMin.class, OUT_OF_RANGE), Map.entry(DecimalMax.class, OUT_OF_RANGE));

    /** The prefix of message templates that name a rule: {@code {ponte.rule.cpf-check-digit}}. */
    static final String TEMPLATE_PREFIX = "{ponte.rule.";

    private static final java.util.Set<String> MAPPING_RULES = java.util.Set.of(MALFORMED_ROW, UNBALANCED_QUOTE,
            ROW_TOO_LONG, INVALID_ENCODING, ENCODING_MISMATCH, CONTROL_CHARACTER, INVALID_DATE,
            INVALID_TIME, INVALID_DATETIME, INVALID_NUMBER, INVALID_BOOLEAN, UNKNOWN_VALUE, MAPPING_ERROR);

    private Rules() {
    }

    /** Whether a rule is broken while reading or mapping a source value (as opposed to validating a record). */
    public static boolean isMappingRule(String rule) {
        return MAPPING_RULES.contains(rule);
    }
}
