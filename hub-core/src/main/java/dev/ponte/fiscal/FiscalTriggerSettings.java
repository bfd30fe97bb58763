package dev.ponte.fiscal;

import dev.ponte.validation.br.BrazilianIds;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of the fiscal trigger, read once from the hub's properties; {@link #problems()} names every wrong key.
 * Invoicing is on only when the trigger is not {@code off} and the issuer's CNPJ is configured (as messaging is on
 * only when a connector serves a channel).
 *
 * @param trigger    {@code ponte.fiscal.trigger}: {@code on-payment}, {@code on-attendance} or {@code off} (the default
 *                   while nothing transmits the invoices: see docs/architecture.md; issue 15 makes it
 *                   {@code on-payment} once the fiscal connector sends them)
 * @param series     {@code ponte.fiscal.series}: 1 to 5 digits (default {@code 1})
 * @param issuerCnpj {@code ponte.fiscal.issuer.cnpj} without its mask, or null when not configured
 * @param firstNumber {@code ponte.fiscal.next-number}: the number of a series' first document (default 1), used only
 *                   while the series has none (a clinic moving from another issuer continues its numbering)
 */
public record FiscalTriggerSettings(Trigger trigger, String series, String issuerCnpj, long firstNumber,
                                    List<String> problems) {

    public static final String PREFIX = "ponte.fiscal.";
    public static final String TRIGGER = PREFIX + "trigger";
    public static final String SERIES = PREFIX + "series";
    public static final String CNPJ = PREFIX + "issuer.cnpj";
    public static final String NEXT_NUMBER = PREFIX + "next-number";
    /** The largest document number (the DPS's {@code nDPS}: 1 to 15 digits). */
    public static final long MAX_NUMBER = 999_999_999_999_999L;

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

    /** Reads the settings from the hub's properties; defaults for what is absent. */
    public static FiscalTriggerSettings from(Map<String, String> all) {
        List<String> problems = new ArrayList<>();
        // off by default until a connector transmits invoices: an Invoice nobody sends would only mislead
        String t = value(all, TRIGGER, Trigger.OFF.id()).toLowerCase(Locale.ROOT);
        Trigger trigger = null;
        for (Trigger candidate : Trigger.values()) {
            if (candidate.id().equals(t)) {
                trigger = candidate;
            }
        }
        if (trigger == null) {
            problems.add(TRIGGER + ": '" + all.get(TRIGGER) + "' is not one of on-payment, on-attendance, "
                    + "off (the default)");
            trigger = Trigger.OFF;
        }
        String series = value(all, SERIES, "1");
        if (!series.matches("\\d{1,5}")) {
            problems.add(SERIES + ": '" + series + "' must be 1 to 5 digits (default 1)");
        }
        String cnpj = null;
        String raw = all.get(CNPJ);
        if (raw != null && !raw.isBlank()) {
            cnpj = BrazilianIds.unmaskCnpj(raw);
            if (BrazilianIds.cnpjProblem(cnpj) != null) {
                problems.add(CNPJ + ": must be a CNPJ of 14 characters with valid check digits (a mask such as "
                        + "11.222.333/0001-81 is accepted)");
            }
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
        return new FiscalTriggerSettings(trigger, series, cnpj, first, problems);
    }

    /** Whether the hub turns charges into invoices: a trigger that is not off, an issuer, no problem. */
    public boolean enabled() {
        return trigger != Trigger.OFF && issuerCnpj != null && problems.isEmpty();
    }

    private static String value(Map<String, String> all, String key, String def) {
        String v = all.get(key);
        return v == null || v.isBlank() ? def : v.strip();
    }
}
