package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConnectorConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The settings of an {@code nfe-sefaz} instance, {@code ponte.connectors.<instance>.*}: the issuer of the clinic's
 * NF-e (products), its state's web services, its A1 certificate. The schemas are the library's (they ship with the
 * NF-e classes). Immutable; {@link #toString()} hides the password.
 *
 * @param issuer              the issuer as the NF-e builder takes it
 * @param endpoints           the state's authorization and query services
 * @param certificate         the A1 file, or null (sandbox certificate in sandbox mode)
 * @param certificatePassword its password, or null
 * @param certificateAlias    its alias, or null
 * @param timeout             how long one call waits
 */
public record NfeConfig(NfeSettings issuer, SefazApi.Endpoints endpoints, Path certificate, String certificatePassword,
                        String certificateAlias, Duration timeout) {

    public static final String CNPJ = "issuer-cnpj";
    public static final String SERIES = "series";
    static final String IE = "issuer-state-registration";
    static final String NAME = "issuer-legal-name";
    static final String STREET = "issuer-street";
    static final String NUMBER = "issuer-number";
    static final String DISTRICT = "issuer-district";
    static final String MUNICIPALITY = "issuer-municipality-code";
    static final String MUNICIPALITY_NAME = "issuer-municipality-name";
    static final String UF = "issuer-uf";
    static final String POSTAL_CODE = "issuer-postal-code";
    static final String CRT = "issuer-crt";
    static final String ENVIRONMENT = "environment";
    static final String ZONE = "zone";
    static final String CFOP = "cfop";
    static final String AUTHORIZATION_URL = "authorization-url";
    static final String QUERY_URL = "query-url";
    static final String TIMEOUT = "timeout";

    static List<ConfigField> fields() {
        List<ConfigField> f = new ArrayList<>();
        f.add(ConfigField.required(CNPJ, ConfigType.STRING, "CNPJ of the clinic branch that sells the products "
                + "(14 digits; a mask is accepted)").validatedBy(ConfigValidator.matching("[0-9./\\-\\s]{14,18}",
                "14 digits, with or without the mask 11.222.333/0001-81")));
        f.add(ConfigField.required(IE, ConfigType.STRING, "Inscrição estadual (IE) of the branch, digits only")
                .validatedBy(ConfigValidator.matching("\\d{2,14}", "2 to 14 digits")));
        f.add(ConfigField.required(NAME, ConfigType.STRING, "Razão social of the issuer, as registered (xNome)")
                .validatedBy(ConfigValidator.matching(".{2,60}", "2 to 60 characters")));
        f.add(ConfigField.required(STREET, ConfigType.STRING, "Street of the issuer's address (xLgr)")
                .validatedBy(ConfigValidator.matching(".{2,60}", "2 to 60 characters")));
        f.add(ConfigField.required(NUMBER, ConfigType.STRING, "Number of the issuer's address (nro)")
                .validatedBy(ConfigValidator.matching(".{1,60}", "1 to 60 characters")));
        f.add(ConfigField.required(DISTRICT, ConfigType.STRING, "District of the issuer's address (xBairro)")
                .validatedBy(ConfigValidator.matching(".{2,60}", "2 to 60 characters")));
        f.add(ConfigField.required(MUNICIPALITY, ConfigType.STRING, "IBGE code of the issuer's city, 7 digits "
                + "(São Paulo 3550308)").validatedBy(ConfigValidator.matching("\\d{7}", "the 7-digit IBGE code")));
        f.add(ConfigField.required(MUNICIPALITY_NAME, ConfigType.STRING, "Name of the issuer's city (xMun)")
                .validatedBy(ConfigValidator.matching(".{2,60}", "2 to 60 characters")));
        f.add(ConfigField.required(UF, ConfigType.STRING, "The issuer's state, two letters (SP): its SEFAZ "
                + "authorizes the NF-e").validatedBy(ConfigValidator.matching("[A-Za-z]{2}", "two letters")));
        f.add(ConfigField.required(POSTAL_CODE, ConfigType.STRING, "CEP of the issuer's address, 8 digits")
                .validatedBy(ConfigValidator.matching("\\d{5}-?\\d{3}", "8 digits (01304-001 accepted)")));
        f.add(ConfigField.choice(CRT, "simples-nacional", "Tax regime (CRT): simples-nacional (1), simples-excess "
                + "(2) or normal (3; not supported yet)", "simples-nacional", "simples-excess", "normal"));
        f.add(ConfigField.optional(SERIES, ConfigType.STRING, "1", "NF-e series (0 to 999) the hub numbers the "
                + "documents in, without gaps").validatedBy(ConfigValidator.matching("\\d{1,3}", "1 to 3 digits")));
        f.add(ConfigField.choice(ENVIRONMENT, "homologation", "homologation (documents without fiscal value) or "
                + "production", "homologation", "production"));
        f.add(ConfigField.optional(ZONE, ConfigType.STRING, "America/Sao_Paulo", "The clinic's time zone for dhEmi")
                .validatedBy(ConfigValidator.zoneId()));
        f.add(ConfigField.optional(CFOP, ConfigType.STRING, "5102", "CFOP of the sale (5102: sale of goods bought "
                + "from third parties, inside the state)").validatedBy(ConfigValidator.matching("[5-6]\\d{3}",
                "a CFOP of an outgoing operation, 4 digits")));
        f.addAll(FiscalInstances.certificateFields("the NF-e"));
        f.add(SandboxAnswer.field());
        f.add(ConfigField.optional(AUTHORIZATION_URL, ConfigType.URL, null, "NFeAutorizacao4 of the state's "
                + "authorizer; known for SP and the SVRS states (AC, AL, AP, DF, ES, PA, PB, PI, RJ, RN, RO, RR, SC, "
                + "SE, TO), required for the others").validatedBy(ConfigValidator.schemes("https", "http")));
        f.add(ConfigField.optional(QUERY_URL, ConfigType.URL, null, "NFeConsultaProtocolo4 of the state's "
                + "authorizer; with authorization-url").validatedBy(ConfigValidator.schemes("https", "http")));
        f.add(ConfigField.optional(TIMEOUT, ConfigType.DURATION, "30s", "How long one call to SEFAZ waits; an "
                + "answer that does not come is asked for before any resend")
                .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(5))));
        return f;
    }

    static List<ConfigRule> rules() {
        List<ConfigRule> rules = new ArrayList<>(FiscalInstances.certificateRules());
        rules.addAll(SandboxAnswer.rules());
        rules.addAll(List.of(
                ConfigRule.of("give both authorization-url and query-url, or neither",
                        c -> c.has(AUTHORIZATION_URL) == c.has(QUERY_URL), AUTHORIZATION_URL, QUERY_URL),
                ConfigRule.of("required: the state's web services are not known to Ponte (SP and the SVRS states are);"
                                + " give authorization-url and query-url from the state's NF-e portal",
                        c -> c.has(AUTHORIZATION_URL) || SefazApi.known(c.string(UF),
                                Dps.Environment.HOMOLOGATION) != null, AUTHORIZATION_URL, UF)));
        return rules;
    }

    /** The settings of a validated configuration, or null with the problems (naming their keys). */
    public static NfeConfig read(ConnectorConfig c, List<String> problems) {
        String cnpj = c.string(CNPJ).replaceAll("[.\\-/\\s]", "");
        if (!TaxIds.isValidCnpj(cnpj)) {
            problems.add(c.fullKey(CNPJ) + ": not a valid CNPJ (14 digits with valid check digits)");
            return null;
        }
        Dps.Environment environment = Dps.Environment.valueOf(c.string(ENVIRONMENT).toUpperCase(Locale.ROOT));
        try {
            NfeSettings issuer = new NfeSettings(cnpj, c.string(IE), c.string(NAME), c.string(STREET),
                    c.string(NUMBER), c.string(DISTRICT), c.string(MUNICIPALITY), c.string(MUNICIPALITY_NAME),
                    c.string(UF).toUpperCase(Locale.ROOT), c.string(POSTAL_CODE).replace("-", ""),
                    NfeSettings.Crt.valueOf(c.string(CRT).toUpperCase(Locale.ROOT).replace('-', '_')),
                    c.string(SERIES), environment, ZoneId.of(c.string(ZONE)), c.string(CFOP));
            SefazApi.Endpoints endpoints = c.has(AUTHORIZATION_URL)
                    ? new SefazApi.Endpoints(c.url(AUTHORIZATION_URL), c.url(QUERY_URL))
                    : SefazApi.known(issuer.uf(), environment);
            return new NfeConfig(issuer, endpoints, c.path(A1Certificate.CERTIFICATE),
                    c.string(A1Certificate.PASSWORD), c.string(A1Certificate.ALIAS), Duration.ofMillis(c.millis(TIMEOUT)));
        } catch (IllegalArgumentException e) {
            problems.add(c.fullKey(CNPJ).replace(CNPJ, "issuer") + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public String toString() {
        return "NfeConfig[" + issuer.cnpj() + ", " + issuer.uf() + ", series " + issuer.series() + ", "
                + issuer.environment() + ", " + endpoints.authorization().getHost() + "]";
    }
}
