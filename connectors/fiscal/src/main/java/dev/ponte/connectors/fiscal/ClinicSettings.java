package dev.ponte.connectors.fiscal;

import java.math.BigDecimal;
import java.time.ZoneId;
import java.util.Objects;

/**
 * The clinic's fiscal settings for its DPS: who issues, in which regime, which series, which environment. Checked
 * when built (a wrong setting is a configuration error, not a per-charge problem).
 *
 * @param cnpj                the issuing branch's CNPJ, 14 digits with valid check digits
 * @param municipalRegistration inscrição municipal ({@code IM}), or null
 * @param municipalityCode    IBGE code of the branch (7 digits): {@code cLocEmi}, the place of service and the Id
 * @param simplesNacional     {@code opSimpNac}
 * @param apportionment       {@code regApTribSN}, required when {@code simplesNacional} is ME_EPP, else null
 * @param specialRegime       {@code regEspTrib}
 * @param series              DPS series, 1 to 5 digits
 * @param environment         production or homologation
 * @param taxCodeBreakdown    the 2-digit national breakdown appended to the LC 116 item for {@code cTribNac};
 *                            null means {@value NationalTaxCode#DEFAULT_BREAKDOWN}
 * @param zone                the clinic's time zone (dhEmi, default competence); null means America/Sao_Paulo
 * @param issRate             ISSQN rate in percent ({@code pAliq}), or null to leave it to the national system
 * @param simplesTotalTaxes   approximate total tax percentage of the Simples Nacional ({@code pTotTribSN}), or
 *                            null to declare none ({@code indTotTrib} 0)
 * @param defaultServiceItem  LC 116 item ({@code 06.02}) for charges with no procedure, or null (such charges are
 *                            then refused)
 * @param applicationVersion  {@code verAplic}; null means {@value #DEFAULT_APPLICATION_VERSION}
 * @param layout              the DPS leiaute; null means {@link Dps.Layout#V1_00}
 * @param nbsCode             {@code cNBS} of the clinic's services, 9 digits: required with leiaute 1.01, optional
 *                            (written when given) with 1.00
 * @param ibsCbs              the {@code IBSCBS} codes: required with leiaute 1.01, refused with 1.00
 */
public record ClinicSettings(String cnpj, String municipalRegistration, String municipalityCode,
                             Dps.SimplesNacional simplesNacional, Dps.SimplesApportionment apportionment,
                             Dps.SpecialRegime specialRegime, String series, Dps.Environment environment,
                             String taxCodeBreakdown, ZoneId zone, BigDecimal issRate, BigDecimal simplesTotalTaxes,
                             String defaultServiceItem, String applicationVersion, Dps.Layout layout,
                             String nbsCode, Dps.IbsCbs ibsCbs) {

    /** {@code verAplic} written when none is configured. */
    public static final String DEFAULT_APPLICATION_VERSION = "Ponte-0.1";

    /** Settings of leiaute 1.00, without NBS code or IBS/CBS group. */
    public ClinicSettings(String cnpj, String municipalRegistration, String municipalityCode,
                          Dps.SimplesNacional simplesNacional, Dps.SimplesApportionment apportionment,
                          Dps.SpecialRegime specialRegime, String series, Dps.Environment environment,
                          String taxCodeBreakdown, ZoneId zone, BigDecimal issRate, BigDecimal simplesTotalTaxes,
                          String defaultServiceItem, String applicationVersion) {
        this(cnpj, municipalRegistration, municipalityCode, simplesNacional, apportionment, specialRegime, series,
                environment, taxCodeBreakdown, zone, issRate, simplesTotalTaxes, defaultServiceItem,
                applicationVersion, Dps.Layout.V1_00, null, null);
    }

    public ClinicSettings {
        if (!TaxIds.isValidCnpj(cnpj)) {
            throw new IllegalArgumentException("cnpj: must be the branch's 14-digit CNPJ with valid check digits");
        }
        // the issuer's own checks (IM length, municipality, regime combination) with the element named
        new Dps.Issuer(cnpj, municipalRegistration, municipalityCode, simplesNacional, apportionment, specialRegime);
        Objects.requireNonNull(environment, "environment");
        taxCodeBreakdown = taxCodeBreakdown == null ? NationalTaxCode.DEFAULT_BREAKDOWN : taxCodeBreakdown;
        NationalTaxCode.fromServiceItem("06.02", taxCodeBreakdown); // checks the breakdown
        if (defaultServiceItem != null) {
            NationalTaxCode.fromServiceItem(defaultServiceItem, taxCodeBreakdown);
        }
        zone = zone == null ? ZoneId.of("America/Sao_Paulo") : zone;
        applicationVersion = applicationVersion == null ? DEFAULT_APPLICATION_VERSION : applicationVersion;
        DpsId.of(municipalityCode, DpsId.RegistrationType.CNPJ, cnpj, series, 1);
        new Dps.Values(BigDecimal.ONE, Dps.IssqnTreatment.TAXABLE, Dps.IssWithholding.NOT_WITHHELD, issRate,
                simplesTotalTaxes);
        layout = layout == null ? Dps.Layout.V1_00 : layout;
        if (nbsCode != null) {
            Dps.digits("serv/cServ/cNBS", nbsCode, 9);
        }
        Dps.checkLayout(layout, series, nbsCode, ibsCbs);
    }

    /** Issuer part of the DPS. */
    public Dps.Issuer toIssuer() {
        return new Dps.Issuer(cnpj, municipalRegistration, municipalityCode, simplesNacional, apportionment,
                specialRegime);
    }
}
