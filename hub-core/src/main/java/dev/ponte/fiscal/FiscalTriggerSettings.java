package dev.ponte.fiscal;

import dev.ponte.validation.br.BrazilianIds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of the fiscal trigger, read once from the hub's properties; {@link #problems()} names every wrong key.
 * The issuer (CNPJ and series) is the fiscal connector instance's ({@link Issuer}): one place for the clinic's
 * fiscal identity. Invoicing is on when a fiscal connector is configured and the trigger is not {@code off}.
 *
 * @param trigger    {@code ponte.fiscal.trigger}: {@code on-payment} (the default with a fiscal connector),
 *                   {@code on-attendance} or {@code off} (the default without one)
 * @param series     the fiscal connector's series (default {@code 1})
 * @param issuerCnpj the fiscal connector's issuer CNPJ without its mask, or null without a fiscal connector
 * @param firstNumber {@code ponte.fiscal.next-number}: the number of a series' first document (default 1), used only
 *                   while the series has none (a clinic moving from another issuer continues its numbering)
 * @param products   the NF-e connector's issuer (products), or null when none is configured: product charges are then
 *                   skipped with that reason
 * @param from       {@code ponte.fiscal.from}: charges due before this day are history, never invoiced (the first
 *                   import of a clinic's past); null for none
 * @param firstProductNumber {@code ponte.fiscal.nfe-next-number}: the first number of an NF-e series (default 1)
 */
public record FiscalTriggerSettings(Trigger trigger, String series, String issuerCnpj, long firstNumber,
                                    List<String> problems, Issuer products, java.time.LocalDate from,
                                    long firstProductNumber) {

    public static final String PREFIX = "ponte.fiscal.";
    public static final String TRIGGER = PREFIX + "trigger";
    public static final String NEXT_NUMBER = PREFIX + "next-number";
    public static final String FROM = PREFIX + "from";
    public static final String NFE_NEXT_NUMBER = PREFIX + "nfe-next-number";
    /** The largest NF-e number ({@code nNF}: 9 digits). */
    public static final long MAX_NFE_NUMBER = 999_999_999L;
    /** The largest document number (the DPS's {@code nDPS}: 1 to 15 digits). */
    public static final long MAX_NUMBER = 999_999_999_999_999L;
    /** Keys of earlier versions that now belong to the fiscal connector instance: old key → option there. */
    private static final Map<String, String> MOVED = movedKeys();

    /**
     * Who issues: the fiscal connector instance (the one that writes Invoice) and its validated options.
     *
     * @param instance the instance's name
     * @param cnpj     its {@code issuer-cnpj}, with or without the mask
     * @param series   its {@code series}
     */
    public record Issuer(String instance, String cnpj, String series) {
        public Issuer {
            cnpj = BrazilianIds.unmaskCnpj(cnpj);
        }
    }

    /** When a charge becomes an invoice. */
    public enum Trigger {
        /** When it is paid: status PAID, or its payments cover its amount. */
        ON_PAYMENT("on-payment"),
        /** When its appointment is ATTENDED. */
        ON_ATTENDANCE("on-attendance"),
        /** Never: the hub makes no documents. */
        OFF("off");

        private final String id;

        Trigger(String id) {
            this.id = id;
        }

        /** As written in the settings. */
        public String id() {
            return id;
        }
    }

    public FiscalTriggerSettings {
        problems = List.copyOf(problems);
    }

    /** Without an NF-e connector and without a history cut-off. */
    public FiscalTriggerSettings(Trigger trigger, String series, String issuerCnpj, long firstNumber,
                                 List<String> problems) {
        this(trigger, series, issuerCnpj, firstNumber, problems, null, null, 1);
    }

    private static Map<String, String> movedKeys() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        m.put(PREFIX + "issuer.cnpj", "issuer-cnpj");
        m.put(PREFIX + "issuer.municipal-registration", "issuer-municipal-registration");
        m.put(PREFIX + "issuer.municipality-code", "issuer-municipality-code");
        m.put(PREFIX + "issuer.simples-nacional", "issuer-simples-nacional");
        m.put(PREFIX + "issuer.simples-apportionment", "issuer-simples-apportionment");
        m.put(PREFIX + "issuer.special-regime", "issuer-special-regime");
        m.put(PREFIX + "series", "series");
        m.put(PREFIX + "environment", "environment");
        m.put(PREFIX + "default-service-item", "default-service-item");
        m.put(PREFIX + "schemas", "schemas");
        m.put(PREFIX + "certificate", "certificate");
        m.put(PREFIX + "certificate-password", "certificate-password");
        m.put(PREFIX + "certificate-alias", "certificate-alias");
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * Reads the settings from the hub's properties; defaults for what is absent.
     *
     * @param issuer the fiscal connector instance, or null when none is configured
     */
    public static FiscalTriggerSettings from(Map<String, String> all, Issuer issuer) {
        return from(all, issuer, null);
    }

    /**
     * Reads the settings, with the fiscal connectors of services and of products.
     *
     * @param issuer   the NFS-e connector (services), or null
     * @param products the NF-e connector (products), or null
     */
    public static FiscalTriggerSettings from(Map<String, String> all, Issuer issuer, Issuer products) {
        List<String> problems = new ArrayList<>();
        String where = issuer == null ? "<name>" : issuer.instance();
        MOVED.forEach((old, option) -> {
            if (all.containsKey(old)) {
                problems.add(old + ": the clinic's fiscal settings belong to the fiscal connector now; write it as "
                        + "ponte.connectors." + where + "." + option + (issuer == null ? " of an instance with type="
                        + "nfse-nacional" : "") + " (README \"Invoices\")");
            }
        });
        Trigger fallback = issuer == null && products == null ? Trigger.OFF : Trigger.ON_PAYMENT;
        String t = value(all, TRIGGER, fallback.id()).toLowerCase(Locale.ROOT);
        Trigger trigger = null;
        for (Trigger candidate : Trigger.values()) {
            if (candidate.id().equals(t)) {
                trigger = candidate;
            }
        }
        if (trigger == null) {
            problems.add(TRIGGER + ": '" + all.get(TRIGGER) + "' is not one of on-payment (the default with a "
                    + "fiscal connector), on-attendance, off");
            trigger = Trigger.OFF;
        } else if (trigger != Trigger.OFF && issuer == null && products == null) {
            problems.add(TRIGGER + ": " + trigger.id() + " needs a fiscal connector to issue the invoices: configure "
                    + "an instance ponte.connectors.<name>.type=nfse-nacional (README \"Invoices\"), or set off");
        }
        long first = 1;
        String next = all.get(NEXT_NUMBER);
        if (next != null && !next.isBlank()) {
            try {
                first = Long.parseLong(next.strip());
            } catch (NumberFormatException e) {
                first = 0;
            }
            if (first < 1 || first > MAX_NUMBER) {
                problems.add(NEXT_NUMBER + ": '" + next + "' must be a whole number from 1 to " + MAX_NUMBER
                        + " (default 1)");
                first = 1;
            }
        }
        java.time.LocalDate from = null;
        String since = all.get(FROM);
        if (since != null && !since.isBlank()) {
            try {
                from = java.time.LocalDate.parse(since.strip());
            } catch (java.time.format.DateTimeParseException e) {
                problems.add(FROM + ": '" + since + "' is not a date yyyy-MM-dd (charges due before it are not "
                        + "invoiced)");
            }
        }
        long firstNfe = 1;
        String nfeNext = all.get(NFE_NEXT_NUMBER);
        if (nfeNext != null && !nfeNext.isBlank()) {
            try {
                firstNfe = Long.parseLong(nfeNext.strip());
            } catch (NumberFormatException e) {
                firstNfe = 0;
            }
            if (firstNfe < 1 || firstNfe > MAX_NFE_NUMBER) {
                problems.add(NFE_NEXT_NUMBER + ": '" + nfeNext + "' must be a whole number from 1 to " + MAX_NFE_NUMBER
                        + " (default 1)");
                firstNfe = 1;
            }
        }
        return new FiscalTriggerSettings(trigger, issuer == null ? "1" : issuer.series(),
                issuer == null ? null : issuer.cnpj(), first, problems, products, from, firstNfe);
    }

    /** Whether the hub turns charges into invoices: a trigger that is not off, an issuer, no problem. */
    public boolean enabled() {
        return trigger != Trigger.OFF && (issuerCnpj != null || products != null) && problems.isEmpty();
    }

    private static String value(Map<String, String> all, String key, String def) {
        String v = all.get(key);
        return v == null || v.isBlank() ? def : v.strip();
    }
}
