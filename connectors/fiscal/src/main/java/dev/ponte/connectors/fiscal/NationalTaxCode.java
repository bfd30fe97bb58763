package dev.ponte.connectors.fiscal;

/**
 * {@code cTribNac}, the national ISSQN taxation code: 6 digits, the item (2) and subitem (2) of the service list of
 * Lei Complementar 116/2003 followed by the national breakdown (desdobro, 2). The LC 116 item {@code 06.02}
 * (esteticistas, tratamento de pele, depilação) with breakdown {@code 01} is {@code 060201}.
 *
 * @param value the 6 digits
 */
public record NationalTaxCode(String value) {

    /** The breakdown used when the clinic configures none. */
    public static final String DEFAULT_BREAKDOWN = "01";

    public NationalTaxCode {
        Dps.digits("serv/cServ/cTribNac", value, 6);
    }

    /**
     * Derives the code from an LC 116 item.
     *
     * @param serviceItem LC 116 item as {@code NN.NN} ({@code 06.02}); {@code N.NN} ({@code 6.02}) is accepted too
     * @param breakdown   the 2-digit national breakdown ({@code 01})
     * @throws IllegalArgumentException when the item is not {@code NN.NN} or the breakdown not 2 digits
     */
    public static NationalTaxCode fromServiceItem(String serviceItem, String breakdown) {
        if (breakdown == null || breakdown.length() != 2 || !DpsId.allDigits(breakdown)) {
            throw new IllegalArgumentException("cTribNac breakdown: must be 2 digits such as 01");
        }
        String item = serviceItem == null ? "" : serviceItem.trim();
        int dot = item.indexOf('.');
        if (dot < 1 || dot > 2 || item.length() - dot - 1 != 2 || !DpsId.allDigits(item.substring(0, dot))
                || !DpsId.allDigits(item.substring(dot + 1))) {
            throw new IllegalArgumentException("LC 116 service item: must be NN.NN such as 06.02, was '" + item + "'");
        }
        String head = item.substring(0, dot);
        return new NationalTaxCode((head.length() == 1 ? "0" + head : head) + item.substring(dot + 1) + breakdown);
    }

    @Override
    public String toString() {
        return value;
    }
}
