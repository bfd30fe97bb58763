package dev.ponte.connectors.sms;

import dev.ponte.spi.MessageEvents;
import dev.ponte.spi.MessageEvents.DeliveryStatus;
import org.jsmpp.bean.AlertNotification;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliverSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.Session;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.InvalidDeliveryReceiptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * What the SMSC delivers on the transceiver bind ({@code deliver_sm}), reported to the hub's
 * {@link MessageEvents}:
 * <ul>
 *   <li>a <b>delivery receipt</b> (esm_class message type SMSC delivery receipt or intermediate notification): the
 *       id is the {@code receipted_message_id} TLV, else the receipt text's {@code id:}; it is reported under the
 *       id of the message's first segment ({@link SubmitProgress}). {@code DELIVRD} → DELIVERED; {@code UNDELIV},
 *       {@code REJECTD}, {@code EXPIRED}, {@code DELETED} → FAILED with the receipt's {@code err:} as code and the
 *       stat word as title; {@code ENROUTE}, {@code ACCEPTD}, {@code UNKNOWN} report nothing;</li>
 *   <li>anything else of the default message type is a <b>patient's SMS</b>: a {@link MessageEvents.PatientReply}
 *       from the sender in E.164 (international TON: {@code +digits}; a national number of 10 or 11 digits:
 *       {@code +55} and the digits), the text decoded per its data_coding (GSM-7, Latin-1 or UCS-2; a UDH is
 *       skipped, a concatenated SMS arrives as one reply per part), at the hub's clock's time.</li>
 * </ul>
 * The {@code deliver_sm_resp} goes back only after the hub's call returned; when the call throws (the hub cannot
 * record it now) the answer is {@code ESME_RX_T_APPN} (0x64), so the SMSC delivers it again later.
 *
 * <p>The provider id of a reply is {@code smpp:} and a random UUID, unique per received PDU: SMPP gives an inbound
 * message no id of its own. An SMSC that delivers the same message again because the connection broke after the
 * hub recorded it but before the {@code deliver_sm_resp} arrived is therefore recorded twice; the hub treats the
 * second like any repeated answer (confirming twice is harmless). Nothing here logs a number, a text or an id.
 */
final class SmppReceiver implements MessageReceiverListener {

    private static final Logger LOG = LoggerFactory.getLogger(SmppReceiver.class);

    private static final int TYPE_MASK = 0x3C;
    private static final int TYPE_DEFAULT = 0x00;
    private static final int TYPE_RECEIPT = 0x04;
    private static final int TYPE_INTERMEDIATE = 0x20;
    private static final byte TON_INTERNATIONAL = 1;

    private final String instance;
    private final MessageEvents events;
    private final Clock clock;
    private final UnaryOperator<String> firstId;

    /**
     * @param firstId the id of the first segment of the message a segment id belongs to (the id itself for a
     *                first or only segment)
     */
    SmppReceiver(String instance, MessageEvents events, Clock clock, UnaryOperator<String> firstId) {
        this.instance = instance;
        this.events = events;
        this.clock = clock;
        this.firstId = firstId;
    }

    @Override
    public void onAcceptDeliverSm(DeliverSm sm) throws ProcessRequestException {
        int type = sm.getEsmClass() & TYPE_MASK;
        String what = type == TYPE_DEFAULT ? "patient's SMS" : "delivery receipt";
        try {
            if (type == TYPE_RECEIPT || type == TYPE_INTERMEDIATE) {
                receipt(sm);
            } else if (type == TYPE_DEFAULT) {
                reply(sm);
            } else {
                LOG.debug("{}: deliver_sm of esm_class 0x{} (an SME acknowledgement) ignored", instance,
                        Integer.toHexString(sm.getEsmClass() & 0xFF));
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: a {} from the SMSC could not be recorded by the hub ({}); answered ESME_RX_T_APPN so the "
                    + "SMSC delivers it again", instance, what, e.getClass().getSimpleName());
            throw new ProcessRequestException("the hub could not record the " + what, SmppStatus.ESME_RX_T_APPN, e);
        }
    }

    private void receipt(DeliverSm sm) {
        DeliveryReceipt receipt = null;
        try {
            receipt = sm.getShortMessageAsDeliveryReceipt();
        } catch (InvalidDeliveryReceiptException | RuntimeException unreadable) {
            // the TLVs may still say enough
        }
        String id = receiptedId(sm);
        if (id == null && receipt != null) {
            id = receipt.getId();
        }
        DeliveryReceiptState stat = receipt != null ? receipt.getFinalStatus() : null;
        if (stat == null) {
            stat = stateTlv(sm);
        }
        if (id == null || id.isBlank() || stat == null) {
            LOG.warn("{}: a delivery receipt without a message id or status was ignored (esm_class 0x{})", instance,
                    Integer.toHexString(sm.getEsmClass() & 0xFF));
            return;
        }
        DeliveryStatus status = switch (stat) {
            case DELIVRD -> DeliveryStatus.DELIVERED;
            case UNDELIV, REJECTD, EXPIRED, DELETED -> DeliveryStatus.FAILED;
            default -> null; // ENROUTE, ACCEPTD, UNKNOWN: not final, nothing to report
        };
        if (status == null) {
            return;
        }
        Instant at = receipt != null && receipt.getDoneDate() != null ? receipt.getDoneDate().toInstant()
                : clock.instant();
        String error = status == DeliveryStatus.FAILED && receipt != null ? receipt.getError() : null;
        events.status(new MessageEvents.StatusUpdate(instance, firstId.apply(id.trim()), status, at, error,
                status == DeliveryStatus.FAILED ? stat.name() : null));
    }

    private static String receiptedId(DeliverSm sm) {
        OptionalParameter p = sm.getOptionalParameter(OptionalParameter.Tag.RECEIPTED_MESSAGE_ID);
        if (p instanceof OptionalParameter.COctetString s) {
            String v = s.getValueAsString();
            return v == null || v.isBlank() ? null : v.trim();
        }
        return null;
    }

    private static DeliveryReceiptState stateTlv(DeliverSm sm) {
        OptionalParameter p = sm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_STATE);
        if (p instanceof OptionalParameter.Byte b) {
            return switch (b.getValue()) { // SMPP 3.4 5.2.28
                case 1 -> DeliveryReceiptState.ENROUTE;
                case 2 -> DeliveryReceiptState.DELIVRD;
                case 3 -> DeliveryReceiptState.EXPIRED;
                case 4 -> DeliveryReceiptState.DELETED;
                case 5 -> DeliveryReceiptState.UNDELIV;
                case 6 -> DeliveryReceiptState.ACCEPTD;
                case 8 -> DeliveryReceiptState.REJECTD;
                default -> DeliveryReceiptState.UNKNOWN;
            };
        }
        return null;
    }

    private void reply(DeliverSm sm) {
        String from = e164(sm.getSourceAddr(), sm.getSourceAddrTon());
        if (from == null) {
            LOG.warn("{}: a patient's SMS from a sender that is not a mobile number (type of number {}, {} "
                    + "characters) was ignored: the hub could not tell whose it is", instance, sm.getSourceAddrTon(),
                    sm.getSourceAddr() == null ? 0 : sm.getSourceAddr().length());
            return;
        }
        byte[] body = sm.getShortMessage();
        boolean udhi = (sm.getEsmClass() & SmsText.ESM_UDHI) != 0;
        if (body == null || body.length == 0) {
            OptionalParameter payload = sm.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
            if (payload instanceof OptionalParameter.OctetString o) {
                body = o.getValue();
            }
        }
        String text = SmsText.decode(body, sm.getDataCoding(), udhi);
        events.reply(new MessageEvents.PatientReply(instance, "smpp:" + UUID.randomUUID(), from, null, text, null,
                clock.instant()));
    }

    /**
     * A sender address in E.164 with {@code +}: international TON → {@code +digits}; a national number of 10 or
     * 11 digits (DDD and number) → {@code +55digits}; else {@code null}.
     */
    static String e164(String address, byte ton) {
        if (address == null) {
            return null;
        }
        String digits = address.startsWith("+") ? address.substring(1) : address;
        if (!digits.matches("[0-9]{8,15}")) {
            return null;
        }
        if (ton == TON_INTERNATIONAL || address.startsWith("+")) {
            return "+" + digits;
        }
        if (digits.length() == 10 || digits.length() == 11) {
            return "+55" + digits;
        }
        if ((digits.length() == 12 || digits.length() == 13) && digits.startsWith("55")) {
            return "+" + digits; // the country code without the international TON, as some SMSCs send it
        }
        return null;
    }

    @Override
    public void onAcceptAlertNotification(AlertNotification alertNotification) {
        // the bind asks for no alerts
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
        throw new ProcessRequestException("data_sm is not supported; deliver messages with deliver_sm",
                0x03); // ESME_RINVCMDID
    }
}
