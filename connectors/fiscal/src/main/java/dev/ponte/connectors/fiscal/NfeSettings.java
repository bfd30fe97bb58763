package dev.ponte.connectors.fiscal;

import com.fincatto.documentofiscal.DFUnidadeFederativa;

import java.time.ZoneId;
import java.util.regex.Pattern;

/**
 * The clinic's settings for its NF-e 4.00 (model 55): the issuer ({@code emit}), its tax regime, the series and the
 * environment. Checked when built: a wrong setting is a configuration error (an {@link IllegalArgumentException}
 * naming the NF-e element and the setting), not a per-charge problem.
 *
 * @param cnpj               the issuing branch's CNPJ ({@code emit/CNPJ}), 14 digits with valid check digits
 * @param stateRegistration  inscrição estadual ({@code emit/IE}): 2 to 14 digits, or {@code ISENTO}
 * @param legalName          razão social ({@code emit/xNome}), 2 to 60 Latin-1 characters
 * @param street             {@code enderEmit/xLgr}, 2 to 60 characters
 * @param number             {@code enderEmit/nro}, 1 to 60 characters ({@code S/N} when there is none)
 * @param district           {@code enderEmit/xBairro}, 2 to 60 characters
 * @param municipalityCode   IBGE code of the branch's municipality ({@code enderEmit/cMun}, {@code ide/cMunFG}),
 *                           7 digits starting with the state's code
 * @param municipalityName   {@code enderEmit/xMun}, 2 to 60 characters
 * @param uf                 the branch's state ({@code enderEmit/UF}), one of the 27 ({@code SP}); its IBGE code is
 *                           {@code ide/cUF}
 * @param postalCode         CEP ({@code enderEmit/CEP}), 8 digits
 * @param crt                the tax regime ({@code emit/CRT})
 * @param series             NF-e series ({@code ide/serie}), 0 to 999 without leading zeros ({@code 1})
 * @param environment        production or homologation ({@code ide/tpAmb})
 * @param zone               the clinic's time zone ({@code ide/dhEmi}); null means America/Sao_Paulo
 * @param cfop               the item's CFOP ({@code det/prod/CFOP}) for a sale inside the state (5xxx); null means
 *                           {@value #DEFAULT_CFOP}, sale of goods bought from third parties
 */
public record NfeSettings(String cnpj, String stateRegistration, String legalName, String street, String number,
                          String district, String municipalityCode, String municipalityName, String uf,
                          String postalCode, Crt crt, String series, Dps.Environment environment, ZoneId zone,
                          String cfop) {

    /** {@code CFOP} written when none is configured: "venda de mercadoria adquirida ou recebida de terceiros". */
    public static final String DEFAULT_CFOP = "5102";

    private static final Pattern IE = Pattern.compile("[0-9]{2,14}|ISENTO");
    private static final Pattern SERIES = Pattern.compile("0|[1-9][0-9]{0,2}");
    private static final Pattern INTERNAL_CFOP = Pattern.compile("5[0-9]{3}");

    /** {@code CRT}, the issuer's tax regime code. */
    public enum Crt {
        /** 1: Simples Nacional. */
        SIMPLES_NACIONAL("1"),
        /** 2: Simples Nacional, over the gross revenue sub-limit (ICMS is due as in the normal regime). */
        SIMPLES_EXCESS("2"),
        /** 3: regime normal. */
        NORMAL("3");

        private final String code;

        Crt(String code) {
            this.code = code;
        }

        /** The value of {@code emit/CRT}. */
        public String code() {
            return code;
        }
    }

    public NfeSettings {
        if (!TaxIds.isValidCnpj(cnpj)) {
            throw new IllegalArgumentException("emit/CNPJ (cnpj): must be the branch's 14-digit CNPJ with valid "
                    + "check digits");
        }
        if (stateRegistration == null || !IE.matcher(stateRegistration).matches()) {
            throw new IllegalArgumentException("emit/IE (stateRegistration): must be 2 to 14 digits, without "
                    + "punctuation, or ISENTO");
        }
        text("emit/xNome (legalName)", legalName, 2, 60);
        text("enderEmit/xLgr (street)", street, 2, 60);
        text("enderEmit/nro (number)", number, 1, 60);
        text("enderEmit/xBairro (district)", district, 2, 60);
        text("enderEmit/xMun (municipalityName)", municipalityName, 2, 60);
        int state = stateCode(uf);
        if (municipalityCode == null || municipalityCode.length() != 7 || !DpsId.allDigits(municipalityCode)) {
            throw new IllegalArgumentException("enderEmit/cMun (municipalityCode): must be the 7-digit IBGE code of "
                    + "the municipality");
        }
        if (Integer.parseInt(municipalityCode.substring(0, 2)) != state) {
            throw new IllegalArgumentException("enderEmit/cMun (municipalityCode): an IBGE code of " + uf
                    + " starts with " + state);
        }
        if (postalCode == null || postalCode.length() != 8 || !DpsId.allDigits(postalCode)) {
            throw new IllegalArgumentException("enderEmit/CEP (postalCode): must be 8 digits, without punctuation");
        }
        if (crt == null) {
            throw new IllegalArgumentException("emit/CRT (crt): the tax regime is required");
        }
        if (series == null || !SERIES.matcher(series).matches()) {
            throw new IllegalArgumentException("ide/serie (series): must be 0 to 999, without leading zeros");
        }
        if (environment == null) {
            throw new IllegalArgumentException("ide/tpAmb (environment): production or homologation is required");
        }
        zone = zone == null ? ZoneId.of("America/Sao_Paulo") : zone;
        cfop = cfop == null ? DEFAULT_CFOP : cfop;
        if (!INTERNAL_CFOP.matcher(cfop).matches()) {
            throw new IllegalArgumentException("det/prod/CFOP (cfop): must be 4 digits starting with 5 (an operation "
                    + "inside the state, idDest 1), such as " + DEFAULT_CFOP);
        }
    }

    /** The IBGE code of the branch's state ({@code ide/cUF}, the key's first two digits): 35 for SP. */
    public int cUF() {
        return stateCode(uf);
    }

    /** The library's state constant. */
    DFUnidadeFederativa state() {
        return DFUnidadeFederativa.valueOf(uf);
    }

    private static int stateCode(String uf) {
        if (uf != null && uf.length() == 2) {
            for (DFUnidadeFederativa s : DFUnidadeFederativa.values()) {
                int code = Integer.parseInt(s.getCodigoIbge());
                if (s.name().equals(uf) && code >= 11 && code <= 53) {
                    return code;
                }
            }
        }
        throw new IllegalArgumentException("enderEmit/UF (uf): must be one of the 27 states, two capital letters "
                + "such as SP");
    }

    private static void text(String element, String value, int min, int max) {
        if (value == null || value.length() < min || value.length() > max || !Dps.isSchemaText(value)) {
            throw new IllegalArgumentException(element + ": must be " + min + " to " + max + " Latin-1 characters, "
                    + "without line breaks or spaces at either end");
        }
    }
}
