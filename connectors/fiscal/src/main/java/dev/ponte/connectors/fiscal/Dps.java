package dev.ponte.connectors.fiscal;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * What a DPS (Declaração de Prestação de Serviço, NFS-e Nacional leiaute 1.00, or 1.01 with the IBS/CBS group of the
 * tax reform) says, without any XML: the values of {@code infDPS} that Ponte fills. Every component checks the
 * facets of the official schema (lengths, digits, enumerations, decimal places) in its constructor and throws
 * {@link IllegalArgumentException} naming the DPS element; a {@code Dps} that exists therefore writes a schema-valid
 * document ({@link DpsXml}).
 *
 * <p>Scope: the issuer (prestador) is a company with a CNPJ issuing its own DPS ({@code tpEmit} 1); no substitution,
 * intermediary, foreign trade, construction, event, deduction, discount, federal-tax or benefit groups. ISSQN
 * treatments that need extra groups (export, immunity) are refused. Leiaute 1.01 ({@link Layout#V1_01}) adds what
 * its schema requires for that case: {@code serv/cServ/cNBS} and the {@code IBSCBS} group ({@link IbsCbs}); leiaute
 * 1.00 refuses the IBS/CBS group.
 *
 * @param environment        {@code tpAmb}
 * @param emittedAt          {@code dhEmi}, written to the second in {@code zone}
 * @param zone               the clinic's time zone; its offset at {@code emittedAt} must be whole hours (-11..+12)
 * @param competence         {@code dCompet}, the date the service was provided
 * @param series             {@code serie}, 1 to 5 digits
 * @param number             {@code nDPS}, 1 to {@value DpsId#MAX_NUMBER}
 * @param applicationVersion {@code verAplic}, 1 to 20 characters
 * @param issuer             {@code prest}
 * @param taker              {@code toma}; null when the service has no identified taker
 * @param service            {@code serv}
 * @param values             {@code valores}
 * @param layout             the leiaute, written in {@code versao}
 * @param ibsCbs             {@code IBSCBS}: required with {@link Layout#V1_01}, refused with {@link Layout#V1_00}
 */
public record Dps(Environment environment, Instant emittedAt, ZoneId zone, LocalDate competence, String series,
                  long number, String applicationVersion, Issuer issuer, Taker taker, Service service,
                  Values values, Layout layout, IbsCbs ibsCbs) {

    /** The default leiaute ({@link Layout#V1_00}) as written in {@code versao}. */
    public static final String VERSION = "1.00";

    /** A DPS of leiaute 1.00 (no IBS/CBS group). */
    public Dps(Environment environment, Instant emittedAt, ZoneId zone, LocalDate competence, String series,
               long number, String applicationVersion, Issuer issuer, Taker taker, Service service, Values values) {
        this(environment, emittedAt, zone, competence, series, number, applicationVersion, issuer, taker, service,
                values, Layout.V1_00, null);
    }

    public Dps {
        Objects.requireNonNull(environment, "tpAmb");
        Objects.requireNonNull(emittedAt, "dhEmi");
        Objects.requireNonNull(zone, "dhEmi zone");
        Objects.requireNonNull(competence, "dCompet");
        Objects.requireNonNull(issuer, "prest");
        Objects.requireNonNull(service, "serv");
        Objects.requireNonNull(values, "valores");
        Objects.requireNonNull(layout, "versao (layout)");
        text("verAplic", applicationVersion, 20);
        ZoneOffset offset = zone.getRules().getOffset(emittedAt);
        int seconds = offset.getTotalSeconds();
        if (seconds % 3600 != 0 || seconds < -11 * 3600 || seconds > 12 * 3600) {
            throw new IllegalArgumentException("dhEmi: the offset must be whole hours between -11:00 and +12:00, "
                    + zone + " is " + offset + " then");
        }
        int year = emittedAt.atZone(zone).getYear();
        if (year < 2000 || year > 2099 || competence.getYear() < 2000 || competence.getYear() > 2099) {
            throw new IllegalArgumentException("dhEmi/dCompet: the schema accepts years 2000 to 2099 only");
        }
        DpsId.of(issuer.municipalityCode(), DpsId.RegistrationType.CNPJ, issuer.cnpj(), series, number);
        checkLayout(layout, series, service.nbsCode(), ibsCbs);
        if (layout == Layout.V1_01 && taker == null) {
            throw new IllegalArgumentException("toma: required in leiaute 1.01 as written here (IBSCBS/indDest 0 "
                    + "declares the taker the recipient of the service)");
        }
    }

    /**
     * What the leiaute requires of the settings that do not vary per document: 1.01 needs {@code cNBS} and the
     * {@code IBSCBS} group and refuses a series of zeros ({@code TSSerieDPS}); 1.00 refuses the {@code IBSCBS} group.
     *
     * @throws IllegalArgumentException naming the element
     */
    static void checkLayout(Layout layout, String series, String nbsCode, IbsCbs ibsCbs) {
        Objects.requireNonNull(layout, "versao (layout)");
        if (layout == Layout.V1_00) {
            if (ibsCbs != null) {
                throw new IllegalArgumentException("IBSCBS: only in leiaute 1.01, leiaute 1.00 has no IBS/CBS group");
            }
            return;
        }
        if (nbsCode == null) {
            throw new IllegalArgumentException("serv/cServ/cNBS: required in leiaute 1.01 (the NBS code of the "
                    + "service, 9 digits)");
        }
        if (ibsCbs == null) {
            throw new IllegalArgumentException("IBSCBS: required in leiaute 1.01 (cIndOp, CST and cClassTrib)");
        }
        if (series != null && !series.isEmpty() && series.chars().allMatch(c -> c == '0')) {
            throw new IllegalArgumentException("serie: must not be all zeros in leiaute 1.01");
        }
    }

    /** The {@code Id} of {@code infDPS}: municipality of emission, the issuer's CNPJ, series and number. */
    public DpsId id() {
        return DpsId.of(issuer.municipalityCode(), DpsId.RegistrationType.CNPJ, issuer.cnpj(), series, number);
    }

    /** {@code dhEmi}: the emission instant to the second, with the zone's offset. */
    public OffsetDateTime emittedAtWithOffset() {
        return emittedAt.truncatedTo(ChronoUnit.SECONDS).atZone(zone).toOffsetDateTime();
    }

    /** {@code tpAmb}. */
    public enum Environment {
        PRODUCTION("1"), HOMOLOGATION("2");

        private final String code;

        Environment(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** The leiaute of the DPS, {@code versao}: which official schema set it follows. */
    public enum Layout {
        /** 1.00, the default: no IBS/CBS group. */
        V1_00("1.00"),
        /** 1.01 (tax reform, "RTC"): {@code cNBS} required and the {@code IBSCBS} group. */
        V1_01("1.01");

        private final String version;

        Layout(String version) {
            this.version = version;
        }

        /** {@code 1.00} or {@code 1.01}, as written in {@code versao}. */
        public String version() {
            return version;
        }
    }

    /** {@code opSimpNac}: the issuer's position in the Simples Nacional. */
    public enum SimplesNacional {
        NOT_OPTING("1"), MEI("2"), ME_EPP("3");

        private final String code;

        SimplesNacional(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** {@code regApTribSN}: how an ME/EPP in the Simples Nacional computes its taxes (only with {@code ME_EPP}). */
    public enum SimplesApportionment {
        /** 1: federal and municipal taxes through the SN. */
        ALL_IN_SN("1"),
        /** 2: federal taxes through the SN, ISSQN outside it. */
        ISSQN_OUTSIDE_SN("2"),
        /** 3: federal and municipal taxes outside the SN. */
        ALL_OUTSIDE_SN("3");

        private final String code;

        SimplesApportionment(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /** {@code regEspTrib}: special taxation regime. */
    public enum SpecialRegime {
        NONE("0"), COOPERATIVE("1"), ESTIMATE("2"), MUNICIPAL_MICROENTERPRISE("3"), NOTARY("4"),
        SELF_EMPLOYED_PROFESSIONAL("5"), PROFESSIONAL_SOCIETY("6");

        private final String code;

        SpecialRegime(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * {@code tribISSQN}: ISSQN treatment of the service. Leiaute 1.01 numbers them differently ({@code TSTribISSQN}:
     * 2 immunity, 3 export, 4 not levied): see {@link #code(Layout)}.
     */
    public enum IssqnTreatment {
        TAXABLE("1", "1"), EXPORT("2", "3"), NOT_LEVIED("3", "4"), IMMUNE("4", "2");

        private final String code;
        private final String code101;

        IssqnTreatment(String code, String code101) {
            this.code = code;
            this.code101 = code101;
        }

        /** The code of leiaute 1.00. */
        public String code() {
            return code;
        }

        /** The code in {@code layout}. */
        public String code(Layout layout) {
            return layout == Layout.V1_01 ? code101 : code;
        }
    }

    /** {@code tpRetISSQN}: who withholds the ISSQN. */
    public enum IssWithholding {
        NOT_WITHHELD("1"), BY_TAKER("2"), BY_INTERMEDIARY("3");

        private final String code;

        IssWithholding(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    /**
     * {@code prest}: the clinic, identified by CNPJ ({@code cLocEmi} and the Id use its municipality).
     *
     * @param cnpj                  14 digits
     * @param municipalRegistration {@code IM}, 1 to 15 characters, or null
     * @param municipalityCode      IBGE code (7 digits) of the issuer, written as {@code cLocEmi}
     * @param simplesNacional       {@code opSimpNac}
     * @param apportionment         {@code regApTribSN}: required with {@code ME_EPP}, refused otherwise
     * @param specialRegime         {@code regEspTrib}
     */
    public record Issuer(String cnpj, String municipalRegistration, String municipalityCode,
                         SimplesNacional simplesNacional, SimplesApportionment apportionment,
                         SpecialRegime specialRegime) {
        public Issuer {
            digits("prest/CNPJ", cnpj, 14);
            digits("cLocEmi (issuer municipality)", municipalityCode, 7);
            if (municipalRegistration != null) {
                text("prest/IM", municipalRegistration, 15);
            }
            Objects.requireNonNull(simplesNacional, "prest/regTrib/opSimpNac");
            Objects.requireNonNull(specialRegime, "prest/regTrib/regEspTrib");
            if (simplesNacional == SimplesNacional.ME_EPP && apportionment == null) {
                throw new IllegalArgumentException("prest/regTrib/regApTribSN: required when opSimpNac is 3 (ME/EPP)");
            }
            if (simplesNacional != SimplesNacional.ME_EPP && apportionment != null) {
                throw new IllegalArgumentException("prest/regTrib/regApTribSN: only for opSimpNac 3 (ME/EPP)");
            }
        }
    }

    /** The taker's federal registration: a CPF (11 digits) or a CNPJ (14 digits). */
    public record Document(Kind kind, String number) {
        public enum Kind { CPF, CNPJ }

        public Document {
            Objects.requireNonNull(kind, "toma document kind");
            digits("toma/" + kind, number, kind == Kind.CPF ? 11 : 14);
        }

        public static Document cpf(String number) {
            return new Document(Kind.CPF, number);
        }

        public static Document cnpj(String number) {
            return new Document(Kind.CNPJ, number);
        }

        @Override
        public String toString() {
            return kind + " (masked)";
        }
    }

    /**
     * {@code toma}: who receives the service. Personal data: {@link #toString()} masks it.
     *
     * @param document {@code CPF} or {@code CNPJ}
     * @param name     {@code xNome}, 1 to 300 characters
     * @param address  {@code end}, or null
     * @param phone    {@code fone}, 6 to 20 digits (DDD + number), or null
     * @param email    {@code email}, 1 to 80 characters, or null
     */
    public record Taker(Document document, String name, Address address, String phone, String email) {
        public Taker {
            Objects.requireNonNull(document, "toma/CPF or toma/CNPJ");
            text("toma/xNome", name, 300);
            if (phone != null && (!DpsId.allDigits(phone) || phone.length() < 6 || phone.length() > 20)) {
                throw new IllegalArgumentException("toma/fone: must be 6 to 20 digits (DDD + number)");
            }
            if (email != null) {
                text("toma/email", email, 80);
            }
        }

        @Override
        public String toString() {
            return "Taker[" + document + ", personal data masked]";
        }
    }

    /**
     * {@code end} with {@code endNac}: a Brazilian address.
     *
     * @param street           {@code xLgr}, 1 to 255
     * @param number           {@code nro}, 1 to 60 ("S/N" when there is none)
     * @param complement       {@code xCpl}, 1 to 156, or null
     * @param district         {@code xBairro}, 1 to 60
     * @param municipalityCode {@code endNac/cMun}, 7 digits
     * @param postalCode       {@code endNac/CEP}, 8 digits
     */
    public record Address(String street, String number, String complement, String district, String municipalityCode,
                          String postalCode) {
        public Address {
            text("toma/end/xLgr", street, 255);
            text("toma/end/nro", number, 60);
            if (complement != null) {
                text("toma/end/xCpl", complement, 156);
            }
            text("toma/end/xBairro", district, 60);
            digits("toma/end/endNac/cMun", municipalityCode, 7);
            digits("toma/end/endNac/CEP", postalCode, 8);
        }

        @Override
        public String toString() {
            return "Address[masked]";
        }
    }

    /**
     * {@code serv}.
     *
     * @param placeOfService  {@code locPrest/cLocPrestacao}, IBGE code (7 digits)
     * @param nationalTaxCode {@code cServ/cTribNac}, see {@link NationalTaxCode}
     * @param description     {@code cServ/xDescServ}, 1 to 2000 characters
     * @param nbsCode         {@code cServ/cNBS}, the NBS code (Nomenclatura Brasileira de Serviços), 9 digits:
     *                        required in leiaute 1.01, optional in 1.00; null when there is none
     */
    public record Service(String placeOfService, NationalTaxCode nationalTaxCode, String description,
                          String nbsCode) {
        public Service {
            digits("serv/locPrest/cLocPrestacao", placeOfService, 7);
            Objects.requireNonNull(nationalTaxCode, "serv/cServ/cTribNac");
            if (description == null || description.isBlank() || description.length() > 2000) {
                throw new IllegalArgumentException("serv/cServ/xDescServ: must be 1 to 2000 characters");
            }
            if (nbsCode != null) {
                digits("serv/cServ/cNBS", nbsCode, 9);
            }
        }

        /** A service without NBS code (leiaute 1.00). */
        public Service(String placeOfService, NationalTaxCode nationalTaxCode, String description) {
            this(placeOfService, nationalTaxCode, description, null);
        }
    }

    /**
     * {@code IBSCBS} (leiaute 1.01 only): what the issuer declares about the IBS and the CBS of the service, for the
     * one case Ponte writes: a regular NFS-e ({@code finNFSe} 0) whose taker is also the recipient ({@code indDest}
     * 0, so no {@code dest} group), no real-estate, reimbursement, credit, regular-taxation or deferral groups;
     * {@code valores/trib/gIBSCBS} carries the CST and the classification only. The codes come from the tables of
     * the tax reform (the operator's accountant chooses them; the schema checks their shape only).
     *
     * @param operationCode  {@code cIndOp}, 6 digits: the "código indicador de operação" of the supply
     * @param situation      {@code valores/trib/gIBSCBS/CST}, 3 digits: the CST of the IBS and the CBS
     * @param classification {@code valores/trib/gIBSCBS/cClassTrib}, 6 digits: the tax classification, whose first
     *                       3 digits are its CST
     */
    public record IbsCbs(String operationCode, String situation, String classification) {
        public IbsCbs {
            digits("IBSCBS/cIndOp", operationCode, 6);
            digits("IBSCBS/valores/trib/gIBSCBS/CST", situation, 3);
            digits("IBSCBS/valores/trib/gIBSCBS/cClassTrib", classification, 6);
            if (!classification.startsWith(situation)) {
                throw new IllegalArgumentException("IBSCBS/valores/trib/gIBSCBS/cClassTrib: must start with the 3 "
                        + "digits of its CST");
            }
        }
    }

    /**
     * {@code valores}.
     *
     * @param serviceValue      {@code vServPrest/vServ}: positive, at most 2 decimal places and 15 integer digits
     * @param issqnTreatment    {@code trib/tribMun/tribISSQN}: TAXABLE or NOT_LEVIED
     * @param withholding       {@code trib/tribMun/tpRetISSQN}
     * @param issRate           {@code trib/tribMun/pAliq}, percent 0.00 to 9.99, or null (left to the system)
     * @param simplesTotalTaxes {@code trib/totTrib/pTotTribSN}, percent 0.00 to 99.99 of the Simples Nacional, or
     *                          null to write {@code indTotTrib} 0 (no estimate of the taxes)
     */
    public record Values(BigDecimal serviceValue, IssqnTreatment issqnTreatment, IssWithholding withholding,
                         BigDecimal issRate, BigDecimal simplesTotalTaxes) {
        public Values {
            Objects.requireNonNull(serviceValue, "valores/vServPrest/vServ");
            if (serviceValue.signum() <= 0 || serviceValue.stripTrailingZeros().scale() > 2
                    || serviceValue.setScale(0, java.math.RoundingMode.DOWN).precision() > 15) {
                throw new IllegalArgumentException("valores/vServPrest/vServ: must be positive, with at most 2 decimal"
                        + " places and 15 integer digits");
            }
            Objects.requireNonNull(issqnTreatment, "valores/trib/tribMun/tribISSQN");
            if (issqnTreatment == IssqnTreatment.EXPORT || issqnTreatment == IssqnTreatment.IMMUNE) {
                throw new IllegalArgumentException("valores/trib/tribMun/tribISSQN: " + issqnTreatment + " needs "
                        + "groups this writer does not fill (cPaisResult, tpImunidade)");
            }
            Objects.requireNonNull(withholding, "valores/trib/tribMun/tpRetISSQN");
            percent("valores/trib/tribMun/pAliq", issRate, 9);
            percent("valores/trib/totTrib/pTotTribSN", simplesTotalTaxes, 99);
        }
    }

    private static void percent(String element, BigDecimal value, int max) {
        if (value != null && (value.signum() < 0 || value.compareTo(BigDecimal.valueOf(max + 1)) >= 0
                || value.stripTrailingZeros().scale() > 2)) {
            throw new IllegalArgumentException(element + ": must be a percentage from 0.00 to " + max
                    + ".99, with at most 2 decimal places");
        }
    }

    static void digits(String element, String value, int length) {
        if (value == null || value.length() != length || !DpsId.allDigits(value)) {
            throw new IllegalArgumentException(element + ": must be exactly " + length + " digits, "
                    + (value == null ? "is missing" : "has " + value.length() + " characters"));
        }
    }

    /**
     * The schema's {@code TSString}: 1 to {@code max} characters, Latin-1 printable (space to ÿ), no leading or
     * trailing space.
     */
    static void text(String element, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(element + ": is missing");
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(element + ": at most " + max + " characters, has " + value.length());
        }
        if (!isSchemaText(value)) {
            throw new IllegalArgumentException(element + ": only Latin-1 printable characters (space to ÿ), no "
                    + "line breaks and no leading or trailing space");
        }
    }

    /** Whether {@code s} matches {@code TSString}: non-empty, chars U+0020..U+00FF, no space at either end. */
    static boolean isSchemaText(String s) {
        if (s == null || s.isEmpty() || s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' ') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < ' ' || c > '\u00ff') {
                return false;
            }
        }
        return true;
    }
}
