package dev.ponte.connectors.fiscal;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.ConnectorConfig;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The settings of an {@code nfse-nacional} instance, {@code ponte.connectors.<instance>.*}: the one place of the
 * clinic's fiscal identity (issuer, regime, series, environment), its A1 certificate and the official schemas. The
 * connector transmits with them, {@code ponte invoice preview} previews with them and the hub numbers its documents
 * in the series of {@code issuer-cnpj} and {@code series}. Immutable; {@link #toString()} hides the password.
 *
 * @param clinic              the issuer and the document settings, as the DPS builder takes them (with the leiaute,
 *                            {@code layout}, and its NBS and IBS/CBS codes)
 * @param schemas             {@code schemas}: the folder of the official DPS schemas
 * @param certificate         {@code certificate}: the clinic's PKCS#12 (A1) file, or null (sandbox certificate)
 * @param certificatePassword {@code certificate-password} (secret), or null without a certificate
 * @param certificateAlias    {@code certificate-alias}, or null for the file's only key entry
 * @param baseUrl             {@code base-url}, or the national API of the environment
 * @param timeout             {@code timeout}: how long one call to the authority waits
 */
public record FiscalConfig(ClinicSettings clinic, Path schemas, Path certificate, String certificatePassword,
                           String certificateAlias, URI baseUrl, Duration timeout) {

    public static final String CNPJ = "issuer-cnpj";
    public static final String IM = "issuer-municipal-registration";
    public static final String MUNICIPALITY = "issuer-municipality-code";
    public static final String SIMPLES = "issuer-simples-nacional";
    public static final String APPORTIONMENT = "issuer-simples-apportionment";
    public static final String SPECIAL = "issuer-special-regime";
    public static final String SERIES = "series";
    public static final String ENVIRONMENT = "environment";
    public static final String DEFAULT_ITEM = "default-service-item";
    public static final String ZONE = "zone";
    public static final String SCHEMAS = "schemas";
    public static final String BASE_URL = "base-url";
    public static final String TIMEOUT = "timeout";
    public static final String LAYOUT = "layout";
    public static final String NBS = "nbs-code";
    public static final String IBS_CBS_OPERATION = "ibs-cbs-operation-code";
    public static final String IBS_CBS_CST = "ibs-cbs-cst";
    public static final String IBS_CBS_CLASS = "ibs-cbs-class";

    /** The options leiaute 1.01 requires, each with the DPS element it fills. */
    private static final List<Map.Entry<String, String>> REQUIRED_WITH_101 = List.of(
            Map.entry(NBS, "serv/cServ/cNBS"),
            Map.entry(IBS_CBS_OPERATION, "IBSCBS/cIndOp"),
            Map.entry(IBS_CBS_CST, "IBSCBS gIBSCBS/CST"),
            Map.entry(IBS_CBS_CLASS, "IBSCBS gIBSCBS/cClassTrib"));
    /** Which option a settings message is about, by the DPS element it starts with (first match; else CNPJ). */
    private static final List<Map.Entry<String, String>> KEY_OF_ELEMENT = List.of(
            Map.entry("prest/IM", IM),
            Map.entry("serie", SERIES),
            Map.entry("serv/cServ/cNBS", NBS),
            Map.entry("IBSCBS/cIndOp", IBS_CBS_OPERATION),
            Map.entry("IBSCBS/valores/trib/gIBSCBS/CST", IBS_CBS_CST),
            Map.entry("IBSCBS/valores/trib/gIBSCBS/cClassTrib", IBS_CBS_CLASS),
            Map.entry("IBSCBS", LAYOUT));

    /** The options of the connector type. */
    static List<ConfigField> fields() {
        List<ConfigField> f = new ArrayList<>();
        f.add(ConfigField.required(CNPJ, ConfigType.STRING, "CNPJ of the clinic branch that issues the NFS-e "
                + "(14 digits; a mask such as 11.222.333/0001-81 is accepted); the hub numbers the documents per "
                + "CNPJ and series").validatedBy(ConfigValidator.matching("[0-9./\\-\\s]{14,18}",
                "14 digits, with or without the mask 11.222.333/0001-81")));
        f.add(ConfigField.optional(IM, ConfigType.STRING, null, "Inscrição municipal (IM) of the branch, as the "
                + "city registered it, when it has one").validatedBy(ConfigValidator.matching(".{1,15}",
                "at most 15 characters")));
        f.add(ConfigField.required(MUNICIPALITY, ConfigType.STRING, "IBGE code of the branch's city, 7 digits "
                + "(São Paulo 3550308): the place of issue and of the service, and part of the DPS Id")
                .validatedBy(ConfigValidator.matching("\\d{7}", "the 7-digit IBGE code (São Paulo is 3550308)")));
        f.add(ConfigField.choice(SIMPLES, null, "The clinic's position in the Simples Nacional (opSimpNac): "
                + "not-opting, mei or me-epp", "not-opting", "mei", "me-epp"));
        f.add(new ConfigField(APPORTIONMENT, ConfigType.ENUM, null, "With issuer-simples-nacional=me-epp only: "
                + "how the Simples taxes are paid (regApTribSN): all-in-sn, issqn-outside-sn or all-outside-sn",
                false, false, ConfigValidator.oneOf("all-in-sn", "issqn-outside-sn", "all-outside-sn")));
        f.add(ConfigField.choice(SPECIAL, "none", "Special tax regime (regEspTrib): none, cooperative, estimate, "
                + "municipal-microenterprise, notary, self-employed-professional or professional-society", "none",
                "cooperative", "estimate", "municipal-microenterprise", "notary", "self-employed-professional",
                "professional-society"));
        f.add(ConfigField.optional(SERIES, ConfigType.STRING, "1", "DPS series (1 to 5 digits) the hub numbers "
                + "the documents in, without gaps").validatedBy(ConfigValidator.matching("\\d{1,5}", "1 to 5 digits")));
        f.add(ConfigField.choice(ENVIRONMENT, "homologation", "homologation (the national test environment, "
                + "\"produção restrita\": documents without fiscal value) or production", "homologation",
                "production"));
        f.add(ConfigField.optional(DEFAULT_ITEM, ConfigType.STRING, "06.02", "LC 116 service item (NN.NN) of "
                + "charges whose appointment names no procedure; 06.02 is aesthetic treatments")
                .validatedBy(ConfigValidator.matching("\\d{2}\\.\\d{2}", "an item NN.NN such as 06.02")));
        f.add(ConfigField.optional(ZONE, ConfigType.STRING, "America/Sao_Paulo", "The clinic's time zone: the "
                + "emission time and the service date are written in it").validatedBy(ConfigValidator.zoneId()));
        f.add(ConfigField.required(SCHEMAS, ConfigType.PATH, "Folder of the official NFS-e schemas of the layout "
                + "(DPS_v1.00.xsd, or DPS_v1.01.xsd with layout=1.01, and its includes), unpacked unmodified from "
                + "gov.br/nfse, \"Esquemas XSD\"; every document is checked against them before it leaves"));
        f.add(ConfigField.choice(LAYOUT, "1.00", "DPS leiaute (versao): 1.00, or 1.01 of the tax reform, which adds "
                + "the NBS code (cNBS) and the IBS/CBS group (IBSCBS) and needs nbs-code, ibs-cbs-operation-code, "
                + "ibs-cbs-cst and ibs-cbs-class; the cancellation event follows the same leiaute", "1.00", "1.01"));
        f.add(ConfigField.optional(NBS, ConfigType.STRING, null, "NBS code (Nomenclatura Brasileira de Serviços, "
                + "cNBS) of the clinic's services, 9 digits, dots allowed (1.2345.67.89); required with layout=1.01, "
                + "written with 1.00 too when set").validatedBy(ConfigValidator.matching(
                "\\d{9}|\\d\\.\\d{4}\\.\\d{2}\\.\\d{2}", "9 digits, or the NBS with its dots such as 1.2345.67.89")));
        f.add(ConfigField.optional(IBS_CBS_OPERATION, ConfigType.STRING, null, "With layout=1.01: the code of the "
                + "table \"código indicador de operação\" of the tax reform (IBSCBS/cIndOp) for the clinic's "
                + "services, as the accountant chose it").validatedBy(ConfigValidator.matching("\\d{6}",
                "6 digits (cIndOp)")));
        f.add(ConfigField.optional(IBS_CBS_CST, ConfigType.STRING, null, "With layout=1.01: the CST of the IBS and "
                + "the CBS (IBSCBS gIBSCBS/CST), 3 digits such as 000 for full taxation, as the accountant chose it")
                .validatedBy(ConfigValidator.matching("\\d{3}", "3 digits (CST)")));
        f.add(ConfigField.optional(IBS_CBS_CLASS, ConfigType.STRING, null, "With layout=1.01: the tax "
                + "classification of the IBS and the CBS (IBSCBS gIBSCBS/cClassTrib), 6 digits starting with the CST, "
                + "such as 000001, as the accountant chose it").validatedBy(ConfigValidator.matching("\\d{6}",
                "6 digits (cClassTrib)")));
        f.addAll(FiscalInstances.certificateFields("the DPS"));
        f.add(SandboxAnswer.field());
        f.add(ConfigField.optional(BASE_URL, ConfigType.URL, null, "Root of the national NFS-e API; by default "
                + NfseApi.HOMOLOGATION + " or, with environment=production, " + NfseApi.PRODUCTION + "; change only "
                + "for a stand-in or a proxy").validatedBy(ConfigValidator.schemes("https", "http")));
        f.add(ConfigField.optional(TIMEOUT, ConfigType.DURATION, "30s", "How long one call to the authority waits "
                + "for its answer; an answer that does not come is asked for (GET /dps) before any resend")
                .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(5))));
        return f;
    }

    static List<ConfigRule> rules() {
        List<ConfigRule> rules = new ArrayList<>(FiscalInstances.certificateRules());
        rules.addAll(SandboxAnswer.rules());
        rules.addAll(List.of(
                ConfigRule.of("required with issuer-simples-nacional=me-epp (regApTribSN)",
                        c -> !"me-epp".equals(c.string(SIMPLES)) || c.has(APPORTIONMENT), APPORTIONMENT, SIMPLES),
                ConfigRule.of("only with issuer-simples-nacional=me-epp; remove it",
                        c -> "me-epp".equals(c.string(SIMPLES)) || !c.has(APPORTIONMENT), APPORTIONMENT, SIMPLES)));
        rules.addAll(layoutRules());
        return rules;
    }

    /**
     * What {@code layout} asks of the other options: 1.01 requires {@code nbs-code} and the three IBS/CBS codes,
     * 1.00 refuses the IBS/CBS codes, and a {@code cClassTrib} belongs to its CST.
     */
    static List<ConfigRule> layoutRules() {
        List<ConfigRule> rules = new ArrayList<>();
        for (Map.Entry<String, String> required : REQUIRED_WITH_101) {
            String key = required.getKey();
            rules.add(ConfigRule.of("required with layout=1.01 (" + required.getValue() + " of the DPS)",
                    c -> !is101(c) || c.has(key), key, LAYOUT));
        }
        for (String key : List.of(IBS_CBS_OPERATION, IBS_CBS_CST, IBS_CBS_CLASS)) {
            rules.add(ConfigRule.of("only with layout=1.01 (leiaute 1.00 has no IBS/CBS group); remove it or set "
                    + "layout=1.01", c -> is101(c) || !c.has(key), key, LAYOUT));
        }
        rules.add(ConfigRule.of("must start with the 3 digits of ibs-cbs-cst (a cClassTrib belongs to one CST)",
                c -> !c.has(IBS_CBS_CLASS) || !c.has(IBS_CBS_CST)
                        || c.string(IBS_CBS_CLASS).startsWith(c.string(IBS_CBS_CST)), IBS_CBS_CLASS, IBS_CBS_CST));
        return rules;
    }

    private static boolean is101(ConnectorConfig c) {
        return Dps.Layout.V1_01.version().equals(c.string(LAYOUT));
    }

    /** The leiaute the configuration asks for ({@code layout}); 1.00 when it is not set or not a leiaute. */
    static Dps.Layout layout(ConnectorConfig c) {
        return is101(c) ? Dps.Layout.V1_01 : Dps.Layout.V1_00;
    }

    /**
     * The settings of a validated configuration, or the problems naming their keys.
     *
     * @param problems where the problems go, each starting with the option's full key
     * @return the settings, or null when there were problems
     */
    public static FiscalConfig read(ConnectorConfig c, List<String> problems) {
        return read(c, problems, true);
    }

    /**
     * As {@link #read(ConnectorConfig, List)}; without {@code layoutRules}, a configuration that breaks one of
     * {@link #layoutRules()} gives null and no problem, for a caller whose rules the hub has already reported
     * (the connector's own checks), so that each problem is reported once.
     */
    static FiscalConfig read(ConnectorConfig c, List<String> problems, boolean layoutRules) {
        String cnpj = c.string(CNPJ).replaceAll("[.\\-/\\s]", "");
        if (!TaxIds.isValidCnpj(cnpj)) {
            problems.add(c.fullKey(CNPJ) + ": not a valid CNPJ (14 digits with valid check digits)");
            return null;
        }
        List<String> broken = layoutRules().stream().filter(r -> !r.holds().test(c))
                .map(r -> c.fullKey(r.keys().get(0)) + ": " + r.message()).toList();
        if (!broken.isEmpty()) {
            if (layoutRules) {
                problems.addAll(broken);
            }
            return null;
        }
        try {
            boolean ibsCbs = c.has(IBS_CBS_OPERATION) || c.has(IBS_CBS_CST) || c.has(IBS_CBS_CLASS);
            ClinicSettings clinic = new ClinicSettings(cnpj, c.string(IM), c.string(MUNICIPALITY),
                    choice(c.string(SIMPLES), Dps.SimplesNacional.class),
                    c.has(APPORTIONMENT) ? choice(c.string(APPORTIONMENT), Dps.SimplesApportionment.class) : null,
                    choice(c.string(SPECIAL), Dps.SpecialRegime.class), c.string(SERIES),
                    choice(c.string(ENVIRONMENT), Dps.Environment.class), null, ZoneId.of(c.string(ZONE)), null,
                    null, c.string(DEFAULT_ITEM), null, layout(c),
                    c.has(NBS) ? c.string(NBS).replace(".", "") : null,
                    ibsCbs ? new Dps.IbsCbs(c.string(IBS_CBS_OPERATION), c.string(IBS_CBS_CST),
                            c.string(IBS_CBS_CLASS)) : null);
            URI base = c.has(BASE_URL) ? c.url(BASE_URL) : URI.create(NfseApi.baseUrl(clinic.environment()));
            return new FiscalConfig(clinic, c.path(SCHEMAS), c.path(A1Certificate.CERTIFICATE),
                    c.string(A1Certificate.PASSWORD), c.string(A1Certificate.ALIAS), base,
                    Duration.ofMillis(c.millis(TIMEOUT)));
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            String key = KEY_OF_ELEMENT.stream().filter(k -> m.startsWith(k.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(CNPJ);
            problems.add(c.fullKey(key) + ": " + m);
            return null;
        }
    }

    /** {@code me-epp} → {@code ME_EPP}. */
    private static <E extends Enum<E>> E choice(String value, Class<E> type) {
        return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    @Override
    public String toString() {
        return "FiscalConfig[" + clinic.cnpj() + ", series " + clinic.series() + ", " + clinic.environment()
                + ", leiaute " + clinic.layout().version()
                + ", " + baseUrl + ", certificate " + certificate + "]";
    }
}
