package dev.ponte.connectors.fiscal;

import static dev.ponte.connectors.fiscal.CanonicalFields.digitsOnly;
import static dev.ponte.connectors.fiscal.CanonicalFields.normalized;
import static dev.ponte.connectors.fiscal.CanonicalFields.orUnknown;
import static dev.ponte.connectors.fiscal.CanonicalFields.text;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link Dps} from canonical records (see {@code mappings/glossary.yaml}): the {@code Charge} being
 * invoiced, its {@code Patient} ({@code Charge.patientId}) as the taker, and the {@code Procedure} of the charge's
 * appointment ({@code Charge.appointmentId} → {@code Appointment.procedureCode}) when there is one, for the LC 116
 * item ({@code serviceItem} → {@code cTribNac}) and the description. Required data that is missing or wrong gives a
 * {@link Result.Problems} naming record and field; optional taker data (address, phone, e-mail) that does not fit
 * the schema is left out. The leiaute, the NBS code and the IBS/CBS codes come from the {@link ClinicSettings}
 * (the same for every charge). Never logs, and problems never quote personal values. Thread safe.
 */
public final class DpsFromCanonical {

    /** What building gave: a DPS, or the problems that prevent one. */
    public sealed interface Result {
        /** A DPS ready for {@link DpsXml#write}. */
        record Built(Dps dps) implements Result {
        }

        /** At least one problem; nothing was built. */
        record Problems(List<CanonicalProblem> problems) implements Result {
            public Problems {
                problems = List.copyOf(problems);
            }
        }
    }

    private final ClinicSettings settings;

    public DpsFromCanonical(ClinicSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Builds the DPS of one charge.
     *
     * @param charge     the canonical Charge
     * @param patient    the canonical Patient the charge belongs to
     * @param procedure  the canonical Procedure of the charge's appointment, or null when the charge has none (the
     *                   settings' default service item is then used)
     * @param number     the DPS number assigned to this charge (1 to 15 digits)
     * @param emittedAt  the emission instant ({@code dhEmi})
     * @param competence the date the service was provided ({@code dCompet}), or null for the emission date in the
     *                   clinic's zone
     */
    public Result build(JsonNode charge, JsonNode patient, JsonNode procedure, long number, Instant emittedAt,
                        LocalDate competence) {
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(patient, "patient");
        Objects.requireNonNull(emittedAt, "emittedAt");
        List<CanonicalProblem> problems = new ArrayList<>();
        String chargeId = id(charge, "id");
        String patientId = text(patient, "id") != null ? text(patient, "id") : orUnknown(text(charge, "patientId"));

        if (number < 1 || number > DpsId.MAX_NUMBER) {
            problems.add(new CanonicalProblem("Charge", chargeId, "number", "(DPS number " + number
                    + ") must be between 1 and " + DpsId.MAX_NUMBER));
        }
        BigDecimal amount = amount(charge, chargeId, problems);
        CanonicalFields.checkCharge(charge, chargeId, patient, "NFS-e", "taker", problems);

        Dps.Document document = document(patient, patientId, problems);
        String name = normalized(text(patient, "name"));
        if (name == null) {
            problems.add(new CanonicalProblem("Patient", patientId, "name",
                    "is missing, the NFS-e needs the taker's name (xNome)"));
        } else if (name.length() > 300 || !Dps.isSchemaText(name)) {
            problems.add(new CanonicalProblem("Patient", patientId, "name", "does not fit the NFS-e (xNome: 1 to 300"
                    + " Latin-1 characters)"));
            name = null;
        }

        NationalTaxCode taxCode = null;
        String description;
        if (procedure != null && !procedure.isNull()) {
            String code = orUnknown(text(procedure, "code"));
            if ("PRODUCT".equals(text(procedure, "kind"))) {
                problems.add(new CanonicalProblem("Procedure", code, "kind", "is PRODUCT, which is invoiced with an "
                        + "NF-e, not an NFS-e"));
            }
            String item = text(procedure, "serviceItem");
            if (item == null) {
                problems.add(new CanonicalProblem("Procedure", code, "serviceItem",
                        "is missing (LC 116 item such as 06.02)"));
            } else {
                taxCode = taxCode(item, "Procedure", code, "serviceItem", problems);
            }
            description = normalized(text(procedure, "name"));
            if (description == null) {
                problems.add(new CanonicalProblem("Procedure", code, "name", "is missing, the NFS-e needs the "
                        + "service description (xDescServ)"));
            }
        } else {
            if (settings.defaultServiceItem() == null) {
                problems.add(new CanonicalProblem("Charge", chargeId, "appointmentId", "has no procedure and the "
                        + "clinic has no default service item: the NFS-e needs the LC 116 item (cTribNac)"));
            } else {
                taxCode = NationalTaxCode.fromServiceItem(settings.defaultServiceItem(), settings.taxCodeBreakdown());
            }
            description = normalized(text(charge, "description"));
            if (description == null) {
                problems.add(new CanonicalProblem("Charge", chargeId, "description", "is missing and there is no "
                        + "procedure: the NFS-e needs the service description (xDescServ)"));
            }
        }
        if (description != null && description.length() > 2000) {
            description = description.substring(0, 2000).strip();
        }
        if (!problems.isEmpty()) {
            return new Result.Problems(problems);
        }
        try {
            Dps.Taker taker = new Dps.Taker(document, name, address(patient), phone(patient), email(patient));
            LocalDate date = competence != null ? competence : emittedAt.atZone(settings.zone()).toLocalDate();
            Dps dps = new Dps(settings.environment(), emittedAt, settings.zone(), date, settings.series(), number,
                    settings.applicationVersion(), settings.toIssuer(), taker,
                    new Dps.Service(settings.municipalityCode(), taxCode, description, settings.nbsCode()),
                    new Dps.Values(amount, Dps.IssqnTreatment.TAXABLE, Dps.IssWithholding.NOT_WITHHELD,
                            settings.issRate(), settings.simplesTotalTaxes()), settings.layout(),
                    settings.ibsCbs());
            return new Result.Built(dps);
        } catch (IllegalArgumentException e) {
            return new Result.Problems(List.of(new CanonicalProblem("Charge", chargeId, "(DPS)", e.getMessage())));
        }
    }


    private static BigDecimal amount(JsonNode charge, String chargeId, List<CanonicalProblem> out) {
        JsonNode node = charge == null ? null : charge.get("amount");
        BigDecimal amount = null;
        if (node != null && node.isNumber()) {
            amount = node.decimalValue();
        } else if (node != null && node.isTextual()) {
            try {
                amount = new BigDecimal(node.asText().trim());
            } catch (NumberFormatException e) {
                amount = null;
            }
        }
        if (amount == null) {
            out.add(new CanonicalProblem("Charge", chargeId, "amount", "is missing or not a number, the NFS-e needs "
                    + "the service value (vServ)"));
            return null;
        }
        if (amount.signum() <= 0 || amount.stripTrailingZeros().scale() > 2
                || amount.setScale(0, java.math.RoundingMode.DOWN).precision() > 15) {
            out.add(new CanonicalProblem("Charge", chargeId, "amount", "must be positive, with at most 2 decimal "
                    + "places (vServ)"));
            return null;
        }
        return amount;
    }

    private static Dps.Document document(JsonNode patient, String patientId, List<CanonicalProblem> out) {
        String cpf = text(patient, "cpf");
        if (cpf == null) {
            out.add(new CanonicalProblem("Patient", patientId, "cpf",
                    "is missing, the NFS-e needs the taker's CPF or CNPJ"));
            return null;
        }
        String digits = cpf.replaceAll("[.\\-\\s]", "");
        if (!TaxIds.isValidCpf(digits)) {
            out.add(new CanonicalProblem("Patient", patientId, "cpf",
                    "is not a valid CPF (11 digits with valid check digits)"));
            return null;
        }
        return Dps.Document.cpf(digits);
    }

    private NationalTaxCode taxCode(String item, String entity, String id, String field, List<CanonicalProblem> out) {
        try {
            return NationalTaxCode.fromServiceItem(item, settings.taxCodeBreakdown());
        } catch (IllegalArgumentException e) {
            out.add(new CanonicalProblem(entity, id, field, "is not an LC 116 item of the form NN.NN such as 06.02"));
            return null;
        }
    }

    /** The patient's address when it is complete enough for {@code end/endNac}; else null (it is optional). */
    private static Dps.Address address(JsonNode patient) {
        JsonNode a = patient == null ? null : patient.get("address");
        if (a == null || !a.isObject()) {
            return null;
        }
        String number = normalized(text(a, "number"));
        try {
            return new Dps.Address(normalized(text(a, "street")), number == null ? "S/N" : number,
                    normalized(text(a, "complement")), normalized(text(a, "district")),
                    text(a, "municipalityCode"), digitsOnly(text(a, "postalCode")));
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** Mobile phone, else landline, as DDD + number (E.164 +55 drops the country code); null when unusable. */
    private static String phone(JsonNode patient) {
        for (String field : List.of("mobilePhone", "homePhone")) {
            String raw = text(patient, field);
            if (raw == null) {
                continue;
            }
            String digits = digitsOnly(raw);
            if (raw.trim().startsWith("+55") && digits.length() > 2) {
                digits = digits.substring(2);
            }
            if (digits.length() >= 6 && digits.length() <= 20) {
                return digits;
            }
        }
        return null;
    }

    private static String email(JsonNode patient) {
        String email = normalized(text(patient, "email"));
        return email != null && email.length() <= 80 && Dps.isSchemaText(email) && email.indexOf('@') > 0
                ? email : null;
    }




    private static String id(JsonNode node, String field) {
        return orUnknown(text(node, field));
    }

}
