package dev.ponte.connectors.sms;

import java.util.HexFormat;

/**
 * The fields of one {@code submit_sm} this connector sends, and their text form: what sandbox mode records instead
 * of sending, and what a stand-in SMSC renders from what it received, so the two can be compared byte for byte.
 * The text holds the destination and the message: it goes to the hub's sandbox table, never to a log.
 *
 * @param sourceAddr         source_addr ({@code from}), empty when the SMSC assigns it
 * @param sourceTon          source_addr_ton
 * @param sourceNpi          source_addr_npi
 * @param destinationAddr    destination_addr: the recipient's digits, without {@code +}
 * @param destinationTon     dest_addr_ton
 * @param destinationNpi     dest_addr_npi
 * @param esmClass           esm_class ({@code 0x40} with a UDH)
 * @param registeredDelivery registered_delivery
 * @param dataCoding         data_coding
 * @param shortMessage       short_message, UDH included
 */
record SubmitPdu(String sourceAddr, byte sourceTon, byte sourceNpi, String destinationAddr, byte destinationTon,
                 byte destinationNpi, byte esmClass, byte registeredDelivery, byte dataCoding, byte[] shortMessage) {

    /** The protocol verb of a sandbox record. */
    static final String METHOD = "SUBMIT_SM";

    /** One line per field group, the short message in hexadecimal. */
    String describe() {
        return "source_addr=" + sourceAddr + " ton=" + sourceTon + " npi=" + sourceNpi + "\n"
                + "destination_addr=" + destinationAddr + " ton=" + destinationTon + " npi=" + destinationNpi + "\n"
                + String.format("esm_class=0x%02X registered_delivery=0x%02X data_coding=0x%02X%n", esmClass,
                registeredDelivery, dataCoding).replace(System.lineSeparator(), "\n")
                + "short_message=" + HexFormat.of().formatHex(shortMessage);
    }

    @Override
    public String toString() {
        // never the destination or the message: personal data
        return "SubmitPdu[" + METHOD + " " + shortMessage.length + " bytes]";
    }
}
