package dev.ponte.connectors.sms;

import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Health;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.PDUException;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.session.SMPPSession;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code provider=smpp}: sends through an SMSC over SMPP 3.4, bound as transceiver ({@link SmppBinding}), and
 * reports the SMSC's delivery receipts and patients' SMS ({@link SmppReceiver}).
 *
 * <p>{@link #send}: the text is encoded and split by {@link SmsText} ({@code transliterate}), one {@code submit_sm}
 * per segment, at most {@code messages-per-second} submits a second, each asking for a final delivery receipt
 * (registered_delivery {@code 0x01}). The source address is {@code from} (alphanumeric: TON 5 NPI 0; {@code +digits}:
 * TON 1 NPI 1; other digits: TON 0 NPI 0; absent: empty, the SMSC's default), the destination the recipient without
 * {@code +}, TON 1 NPI 1. The result is the SMSC's id of the first segment, the segment count and the encoding:
 * {@code Delivery(id, "3 segment(s), GSM-7", 3)}.
 *
 * <p><b>Exactly once towards the SMSC.</b> After each {@code submit_sm_resp} the acknowledged segment is recorded in
 * the instance's state ({@link SubmitProgress}, under the command's business key, with the concatenation reference);
 * a command delivered again sends only the segments not acknowledged yet, with the same reference, so a message cut
 * by a lost connection is completed rather than sent twice. The one gap left is SMPP's: a segment the SMSC took
 * whose {@code submit_sm_resp} never arrived is sent again. Every segment's id is mapped to the first segment's id,
 * so a receipt for any segment is reported under the id the hub recorded; a receipt that overtakes the recording of
 * its segment waits for it (at most {@code timeout}).
 *
 * <p>Errors ({@link Sink} contract): not bound (the SMSC away, a refused bind), no response within {@code timeout},
 * an I/O error, and the statuses {@link SmppStatus} does not call permanent (ESME_RTHROTTLED, ESME_RMSGQFUL,
 * ESME_RSYSERR…) are a {@link RetriableDeliveryException}; a permanent status (ESME_RINVDSTADR, ESME_RINVSRCADR,
 * ESME_RINVMSGLEN, ESME_RINVDSTTON…) is a {@link PermanentDeliveryException} naming it in hexadecimal and words. No
 * message names the recipient or the text.
 *
 * <p>Sandbox mode binds nothing: each would-be {@code submit_sm} ({@link SubmitPdu#describe()}) goes to the hub's
 * sandbox recorder, with the destination as target, and the result carries the segment count.
 */
final class SmppProvider implements SmsProvider {

    private static final byte REGISTERED_DELIVERY_FINAL = 0x01;
    private static final byte TON_UNKNOWN = 0;
    private static final byte TON_INTERNATIONAL = 1;
    private static final byte TON_ALPHANUMERIC = 5;
    private static final byte NPI_UNKNOWN = 0;
    private static final byte NPI_ISDN = 1;

    private final ConnectorContext ctx;
    private final boolean transliterate;
    private final String source;
    private final byte sourceTon;
    private final byte sourceNpi;
    private final String smsc;
    private final String systemId;
    private final String rateKey;
    private final SendRate throughput;
    private final SubmitProgress progress;
    private final SmppBinding binding;
    private final long timeoutMillis;
    /** Guards {@link #submitting} and {@link #recordedSubmits}; notified when a submit's outcome is recorded. */
    private final Object recording = new Object();
    private boolean submitting;
    private long recordedSubmits;

    private SmppProvider(ConnectorContext ctx) {
        this.ctx = ctx;
        ConnectorConfig c = ctx.config();
        this.transliterate = Boolean.TRUE.equals(c.bool("transliterate"));
        String from = c.string("from");
        if (from == null || from.isBlank()) {
            source = "";
            sourceTon = TON_UNKNOWN;
            sourceNpi = NPI_UNKNOWN;
        } else if (from.matches("\\+[0-9]+")) {
            source = from.substring(1);
            sourceTon = TON_INTERNATIONAL;
            sourceNpi = NPI_ISDN;
        } else if (from.matches("[0-9]+")) {
            source = from;
            sourceTon = TON_UNKNOWN;
            sourceNpi = NPI_UNKNOWN;
        } else {
            source = from;
            sourceTon = TON_ALPHANUMERIC;
            sourceNpi = NPI_UNKNOWN;
        }
        String host = c.string("host");
        int port = c.integer("port");
        this.smsc = host + ":" + port;
        this.systemId = c.string("system-id");
        this.rateKey = c.fullKey("messages-per-second");
        this.timeoutMillis = c.millis("timeout");
        this.throughput = SendRate.realTime(c.integer("messages-per-second"));
        if (c.sandbox()) {
            this.progress = null;
            this.binding = null;
        } else {
            this.progress = new SubmitProgress(Objects.requireNonNull(ctx.state(), "the smpp provider keeps its "
                    + "progress in the instance's state, and the context has none"));
            SmppReceiver receiver = new SmppReceiver(ctx.instance(), ctx.messages(), ctx.clock(), this::firstId);
            this.binding = new SmppBinding(new SmppBinding.Settings(ctx.instance(), host, port, systemId,
                    c.string("password"), Objects.requireNonNullElse(c.string("system-type"), ""),
                    (int) (long) c.millis("enquire-link-interval"), c.millis("timeout"), c.millis("reconnect-delay"),
                    c.fullKey("system-id") + " and " + c.fullKey("password")), receiver);
        }
    }

    /** Opens the provider of an instance; outside sandbox mode it starts binding in the background. */
    static SmppProvider open(ConnectorContext ctx) {
        SmppProvider p = new SmppProvider(ctx);
        if (p.binding != null) {
            p.binding.start();
        }
        return p;
    }

    @Override
    public Sink.Delivery send(OutboundCommand command, OutboundMessage message) throws Exception {
        String destination = message.recipient().startsWith("+") ? message.recipient().substring(1)
                : message.recipient();
        String what = "message " + message.messageId();
        if (ctx.config().sandbox()) {
            SmsText.Encoded text = SmsText.encode(message.text(), transliterate,
                    SubmitProgress.reference(command.businessKey()));
            List<SubmitPdu> pdus = pdus(text, destination);
            for (int i = 0; i < pdus.size(); i++) {
                ctx.sandbox().record(ctx.instance(), command.businessKey(), SubmitPdu.METHOD, destination,
                        headers(i, pdus.size()), pdus.get(i).describe());
            }
            return new Sink.Delivery(null, text.describe() + " recorded (sandbox)", pdus.size());
        }
        SubmitProgress.Progress p = progress.load(command.businessKey(), message.text(),
                SubmitProgress.reference(command.businessKey()));
        SmsText.Encoded text = SmsText.encode(message.text(), transliterate, p.reference());
        List<SubmitPdu> pdus = pdus(text, destination);
        int n = pdus.size();
        for (int i = p.acknowledged(); i < n; i++) {
            String segment = n == 1 ? what : what + " (segment " + (i + 1) + " of " + n + ")";
            SMPPSession session = binding.session();
            if (session == null) {
                throw new RetriableDeliveryException("SMS: " + segment + " not sent: not bound to the SMSC " + smsc
                        + " (" + binding.down() + "); it is retried once the bind is back");
            }
            throughput.acquire();
            synchronized (recording) {
                submitting = true;
            }
            try {
                String id = submit(session, pdus.get(i), segment);
                progress.mapSegment(id, i == 0 ? id : p.ids().get(0));
                p = progress.acknowledged(p, id);
            } finally {
                synchronized (recording) {
                    submitting = false;
                    recordedSubmits++;
                    recording.notifyAll();
                }
            }
        }
        return new Sink.Delivery(p.ids().get(0), text.describe(), n);
    }

    /** Sends one submit_sm and returns the SMSC's message id, or throws as the class javadoc says. */
    private String submit(SMPPSession session, SubmitPdu pdu, String segment) throws Exception {
        try {
            return session.submitShortMessage("", TypeOfNumber.valueOf(pdu.sourceTon()),
                    NumberingPlanIndicator.valueOf(pdu.sourceNpi()), pdu.sourceAddr(),
                    TypeOfNumber.valueOf(pdu.destinationTon()), NumberingPlanIndicator.valueOf(pdu.destinationNpi()),
                    pdu.destinationAddr(), new ESMClass(pdu.esmClass()), (byte) 0, (byte) 0, null, null,
                    new RegisteredDelivery(pdu.registeredDelivery()), (byte) 0, new RawDataCoding(pdu.dataCoding()),
                    (byte) 0, pdu.shortMessage()).getMessageId();
        } catch (NegativeResponseException e) {
            int status = e.getCommandStatus();
            if (SmppStatus.permanent(status)) {
                throw new PermanentDeliveryException("SMS: the SMSC " + smsc + " refused " + segment + ": "
                        + SmppStatus.describe(status) + "; it will refuse it again, so the hub tries the patient's "
                        + "next channel (check the patient's mobile number, and from if the source is refused)");
            }
            boolean throttled = status == SmppStatus.ESME_RTHROTTLED || status == SmppStatus.ESME_RMSGQFUL;
            throw new RetriableDeliveryException("SMS: the SMSC " + smsc + " did not take " + segment + " now: "
                    + SmppStatus.describe(status) + "; it is retried"
                    + (throttled ? " (if this repeats, lower " + rateKey + ", now " + throughput.perSecond() + ")"
                    : ""));
        } catch (ResponseTimeoutException e) {
            throw new RetriableDeliveryException("SMS: the SMSC " + smsc + " did not answer the submit_sm of "
                    + segment + " within " + ctx.config().fullKey("timeout") + "; it is retried (if the SMSC took it "
                    + "nevertheless, that segment arrives twice)", e);
        } catch (IOException e) {
            binding.lost(session, e.getClass().getSimpleName());
            throw new RetriableDeliveryException("SMS: " + segment + " not sent: the connection to the SMSC " + smsc
                    + " failed (" + e.getClass().getSimpleName() + "); it is retried once the bind is back", e);
        } catch (InvalidResponseException e) {
            throw new RetriableDeliveryException("SMS: the SMSC " + smsc + " answered the submit_sm of " + segment
                    + " with an invalid response; it is retried", e);
        } catch (PDUException e) {
            // the fields are checked before (E.164 recipient, validated from, at most 140 bytes): a bug here
            throw new IllegalStateException("SMS: the submit_sm of " + segment + " has an invalid field ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private List<SubmitPdu> pdus(SmsText.Encoded text, String destination) {
        List<SubmitPdu> out = new ArrayList<>(text.segments().size());
        for (SmsText.Segment s : text.segments()) {
            out.add(new SubmitPdu(source, sourceTon, sourceNpi, destination, TON_INTERNATIONAL, NPI_ISDN,
                    s.esmClass(), REGISTERED_DELIVERY_FINAL, text.dataCoding(), s.shortMessage()));
        }
        return out;
    }

    private Map<String, String> headers(int index, int total) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("smsc", smsc);
        h.put("system-id", systemId);
        h.put("segment", (index + 1) + "/" + total);
        return h;
    }

    /**
     * The id of the first segment of the message {@code id} belongs to, for a receipt. An id not recorded yet may be
     * the segment whose submit_sm_resp is being recorded right now (an SMSC can send the receipt right behind the
     * answer): then this waits until that submit's outcome is recorded, at most {@code timeout}, and looks again.
     * Only such receipts wait, never on a receipt of an id already recorded, so the jsmpp thread that processes the
     * submit_sm_resp (it came before the receipt) is not held up. An id never recorded is reported as it is.
     */
    private String firstId(String id) {
        Optional<String> first = progress.firstId(id);
        if (first.isPresent()) {
            return first.get();
        }
        synchronized (recording) {
            long seen = recordedSubmits;
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (submitting && recordedSubmits == seen) {
                long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                try {
                    recording.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return progress.firstId(id).orElse(id);
    }

    @Override
    public Health health() {
        if (binding == null) {
            return Health.up("sandbox mode: submits are recorded, the SMSC " + smsc + " is not contacted");
        }
        return binding.health();
    }

    @Override
    public void close() {
        if (binding != null) {
            binding.close();
        }
    }
}
