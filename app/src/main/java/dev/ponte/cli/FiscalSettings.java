package dev.ponte.cli;

import dev.ponte.connectors.fiscal.ClinicSettings;
import dev.ponte.connectors.fiscal.Dps;
import dev.ponte.connectors.fiscal.DpsId;
import dev.ponte.connectors.fiscal.NationalTaxCode;
import dev.ponte.connectors.fiscal.TaxIds;
import dev.ponte.hub.HubSettings;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code ponte.fiscal.*} settings of {@code ponte invoice preview}, read from the hub's settings and checked all
 * together: every problem names its key. The certificate password is read here and never printed.
 *
 * @param clinic             the issuer, series, environment and default service item, as the DPS builder takes them
 * @param schemas            {@code ponte.fiscal.schemas}, or null when not set
 * @param certificate        {@code ponte.fiscal.certificate}, or null for the sandbox certificate
 * @param certificatePassword {@code ponte.fiscal.certificate-password} (secret), or null
 * @param certificateAlias   {@code ponte.fiscal.certificate-alias}, or null
 * @param nextNumber         {@code ponte.fiscal.next-number}: the first provisional DPS number
 * @param zone               the clinic's time zone ({@code ponte.messaging.zone})
 */
record FiscalSettings(ClinicSettings clinic, Path schemas, Path certificate, String certificatePassword,
                      String certificateAlias, long nextNumber, ZoneId zone) {

    static final String PREFIX = "ponte.fiscal.";
    static final String CNPJ = PREFIX + "issuer.cnpj";
    static final String IM = PREFIX + "issuer.municipal-registration";
    static final String MUNICIPALITY = PREFIX + "issuer.municipality-code";
    static final String SIMPLES = PREFIX + "issuer.simples-nacional";
    static final String APPORTIONMENT = PREFIX + "issuer.simples-apportionment";
    static final String SPECIAL = PREFIX + "issuer.special-regime";
    static final String SERIES = PREFIX + "series";
    static final String ENVIRONMENT = PREFIX + "environment";
    static final String DEFAULT_ITEM = PREFIX + "default-service-item";
    static final String NEXT_NUMBER = PREFIX + "next-number";
    static final String SCHEMAS = PREFIX + "schemas";
    static final String CERTIFICATE = PREFIX + "certificate";
    static final String PASSWORD = PREFIX + "certificate-password";
    static final String ALIAS = PREFIX + "certificate-alias";

    /** The settings, or every problem of them (naming the key) in {@code problems}. */
    static FiscalSettings read(HubSettings s, List<String> problems) {
        int before = problems.size();
        String cnpj = s.get(CNPJ) == null ? null : s.get(CNPJ).replaceAll("[.\\-/\\s]", "");
        if (cnpj == null) {
            problems.add(CNPJ + ": required, the CNPJ of the clinic branch that issues the documents (14 digits)");
        } else if (!TaxIds.isValidCnpj(cnpj)) {
            problems.add(CNPJ + ": must be a CNPJ of 14 digits with valid check digits (a mask such as "
                    + "11.222.333/0001-81 is accepted)");
        }
        String im = s.get(IM);
        if (im != null && im.length() > 15) {
            problems.add(IM + ": at most 15 characters (inscrição municipal as the city registered it)");
        }
        String municipality = s.get(MUNICIPALITY);
        if (municipality == null) {
            problems.add(MUNICIPALITY + ": required, the IBGE code of the branch's city (7 digits, São Paulo is "
                    + "3550308)");
        } else if (!municipality.matches("\\d{7}")) {
            problems.add(MUNICIPALITY + ": must be the 7-digit IBGE code of the city (São Paulo is 3550308)");
        }
        Dps.SimplesNacional simples = s.get(SIMPLES) == null ? null
                : choice(s.get(SIMPLES), Dps.SimplesNacional.class, SIMPLES, problems);
        if (s.get(SIMPLES) == null) {
            problems.add(SIMPLES + ": required, the clinic's position in the Simples Nacional (opSimpNac): "
                    + names(Dps.SimplesNacional.class));
        }
        Dps.SimplesApportionment apportionment = s.get(APPORTIONMENT) == null ? null
                : choice(s.get(APPORTIONMENT), Dps.SimplesApportionment.class, APPORTIONMENT, problems);
        if (simples == Dps.SimplesNacional.ME_EPP && s.get(APPORTIONMENT) == null) {
            problems.add(APPORTIONMENT + ": required with " + SIMPLES + "=me-epp (regApTribSN): "
                    + names(Dps.SimplesApportionment.class));
        } else if (simples != null && simples != Dps.SimplesNacional.ME_EPP && s.get(APPORTIONMENT) != null) {
            problems.add(APPORTIONMENT + ": only with " + SIMPLES + "=me-epp; remove it");
        }
        Dps.SpecialRegime special = s.get(SPECIAL) == null ? Dps.SpecialRegime.NONE
                : choice(s.get(SPECIAL), Dps.SpecialRegime.class, SPECIAL, problems);
        String series = s.get(SERIES) == null ? "1" : s.get(SERIES);
        if (!series.matches("\\d{1,5}")) {
            problems.add(SERIES + ": must be 1 to 5 digits (default 1)");
        }
        Dps.Environment environment = s.get(ENVIRONMENT) == null ? Dps.Environment.HOMOLOGATION
                : choice(s.get(ENVIRONMENT), Dps.Environment.class, ENVIRONMENT, problems);
        String item = s.get(DEFAULT_ITEM) == null ? "06.02" : s.get(DEFAULT_ITEM);
        try {
            NationalTaxCode.fromServiceItem(item, NationalTaxCode.DEFAULT_BREAKDOWN);
        } catch (IllegalArgumentException e) {
            problems.add(DEFAULT_ITEM + ": must be an LC 116 item NN.NN such as 06.02 (the default)");
        }
        long next = 1;
        if (s.get(NEXT_NUMBER) != null) {
            try {
                next = Long.parseLong(s.get(NEXT_NUMBER));
            } catch (NumberFormatException e) {
                next = 0;
            }
            if (next < 1 || next > DpsId.MAX_NUMBER) {
                problems.add(NEXT_NUMBER + ": must be a whole number from 1 to " + DpsId.MAX_NUMBER + " (default 1)");
            }
        }
        ZoneId zone = ZoneId.of("America/Sao_Paulo");
        if (s.get("ponte.messaging.zone") != null) {
            try {
                zone = ZoneId.of(s.get("ponte.messaging.zone"));
            } catch (RuntimeException e) {
                problems.add("ponte.messaging.zone: not a time zone such as America/Sao_Paulo");
            }
        }
        Path certificate = s.get(CERTIFICATE) == null ? null : Path.of(s.get(CERTIFICATE));
        String password = s.get(PASSWORD);
        if (certificate != null && password == null) {
            problems.add(PASSWORD + ": required with " + CERTIFICATE + " (the password of the PKCS#12 file)");
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            ClinicSettings clinic = new ClinicSettings(cnpj, im, municipality, simples, apportionment, special, series,
                    environment, null, zone, null, null, item, null);
            Path schemas = s.get(SCHEMAS) == null ? null : Path.of(s.get(SCHEMAS));
            return new FiscalSettings(clinic, schemas, certificate, password, s.get(ALIAS), next, zone);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            problems.add((m.startsWith("prest/IM") ? IM : m.startsWith("serie") ? SERIES : PREFIX + "issuer") + ": "
                    + m);
            return null;
        }
    }

    /** {@code me-epp}, {@code ME_EPP} or {@code me_epp} → {@code ME_EPP}; else a problem listing the choices. */
    private static <E extends Enum<E>> E choice(String value, Class<E> type, String key, List<String> problems) {
        String v = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v)) {
                return e;
            }
        }
        problems.add(key + ": '" + value + "' is not one of " + names(type));
        return null;
    }

    static <E extends Enum<E>> String names(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(", "));
    }
}
