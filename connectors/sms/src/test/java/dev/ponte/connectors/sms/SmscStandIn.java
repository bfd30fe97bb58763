package dev.ponte.connectors.sms;

import org.jsmpp.bean.BindType;
import org.jsmpp.bean.BroadcastSm;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.DeliveryReceipt;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.jsmpp.util.DeliveryReceiptState;
import org.jsmpp.util.MessageId;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embedded SMSC for tests, on jsmpp's {@link SMPPServerSessionListener} on a free local port: it accepts binds
 * with its system id and password (others are refused with ESME_RBINDFAIL), acknowledges {@code submit_sm}s,
 * sends DELIVRD receipts for them (unless told not to), and can refuse destinations for good (ESME_RINVDSTADR),
 * answer a FAILED receipt for them, throttle (ESME_RTHROTTLED), deliver a patient's SMS, stop and start again on the
 * same port.
 *
 * <p>Only acknowledged submits count ({@link #accepted()}, {@link #submits()}): that is what "the SMSC accepted
 * it" means. {@link #stop()} first refuses new submits (ESME_RSYSERR, not counted), waits for the acknowledgements
 * under way to be written, then unbinds each session (so the client reads every answer written before the unbind)
 * and closes it and the listener: a submit is either acknowledged and counted, or neither. Every submit received,
 * refused or not, is in {@link #requests()}.
 *
 * <p>Public, and depending on no other test class, so other modules' tests can use it through this module's
 * test-jar. Thread safe.
 */
public final class SmscStandIn implements AutoCloseable {

    public static final String SYSTEM_ID = "ponte-clinic";
    public static final String PASSWORD = "Sm5c-pw8";
    public static final String HOST = "127.0.0.1";

    private static final int ESME_RSYSERR = 0x08;
    private static final int ESME_RINVDSTADR = 0x0B;
    private static final int ESME_RBINDFAIL = 0x0D;
    private static final int ESME_RTHROTTLED = 0x58;

    /**
     * One {@code submit_sm} as received.
     *
     * @param sourceAddr         source_addr
     * @param sourceTon          source_addr_ton
     * @param sourceNpi          source_addr_npi
     * @param destination        destination_addr (digits, no {@code +})
     * @param destinationTon     dest_addr_ton
     * @param destinationNpi     dest_addr_npi
     * @param esmClass           esm_class
     * @param registeredDelivery registered_delivery
     * @param dataCoding         data_coding
     * @param shortMessage       short_message, UDH included
     * @param udh                the user data header (length byte included), or {@code null}
     * @param text               the text decoded per its data_coding, without the UDH
     * @param messageId          the id it was acknowledged with, or {@code null} when refused
     * @param status             the command status answered (0: acknowledged)
     */
    public record Submit(String sourceAddr, byte sourceTon, byte sourceNpi, String destination, byte destinationTon,
                         byte destinationNpi, byte esmClass, byte registeredDelivery, byte dataCoding,
                         byte[] shortMessage, byte[] udh, String text, String messageId, int status) {

        /** The concatenation reference of the UDH, or -1 for a single-segment message. */
        public int reference() {
            return udh == null || udh.length < 6 ? -1 : udh[3] & 0xFF;
        }

        /** The segment number (1-based) of the UDH, or 1 for a single-segment message. */
        public int segment() {
            return udh == null || udh.length < 6 ? 1 : udh[5] & 0xFF;
        }

        /** How many segments the message has, 1 without a UDH. */
        public int segments() {
            return udh == null || udh.length < 6 ? 1 : udh[4] & 0xFF;
        }

        /** The PDU in the text form the connector's sandbox mode records (same fields, same order). */
        public String describe() {
            return new SubmitPdu(sourceAddr, sourceTon, sourceNpi, destination, destinationTon, destinationNpi,
                    esmClass, registeredDelivery, dataCoding, shortMessage).describe();
        }

        @Override
        public String toString() {
            return "Submit[" + (messageId != null ? messageId : String.format("refused 0x%08X", status)) + "]";
        }
    }

    private final String systemId;
    private final String password;
    private final int port;
    private final Object lock = new Object();
    private final Object lifecycle = new Object();
    private final List<SMPPServerSession> sessions = new CopyOnWriteArrayList<>();
    private final List<Submit> requests = new CopyOnWriteArrayList<>();
    private final List<Submit> accepted = new CopyOnWriteArrayList<>();
    private final Map<String, Submit> pending = new ConcurrentHashMap<>();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final java.util.Queue<Submit> owedReceipts = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger throttle = new AtomicInteger();
    private final AtomicInteger stopAfter = new AtomicInteger(-1);
    private final AtomicInteger binds = new AtomicInteger();
    private final ExecutorService receipts = Executors.newCachedThreadPool(r -> daemon(r, "smsc-stand-in-receipts"));
    private volatile boolean autoReceipts = true;
    private volatile SMPPServerSessionListener listener;
    private volatile Thread acceptor;
    private volatile boolean stopping;
    private int inFlight; // guarded by lock

    /** Starts on a free port with {@link #SYSTEM_ID} and {@link #PASSWORD}. */
    public SmscStandIn() throws IOException {
        this(SYSTEM_ID, PASSWORD);
    }

    /** Starts on a free port, accepting binds with these credentials only. */
    public SmscStandIn(String systemId, String password) throws IOException {
        this.systemId = systemId;
        this.password = password;
        try (ServerSocket free = new ServerSocket(0)) {
            this.port = free.getLocalPort();
        }
        start();
    }

    public int port() {
        return port;
    }

    /**
     * Options of an sms instance with provider=smpp bound to this stand-in, without the instance prefix: short
     * reconnect delay, enquire link and timeout, so tests are quick.
     */
    public Map<String, String> config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("provider", "smpp");
        c.put("host", HOST);
        c.put("port", String.valueOf(port));
        c.put("system-id", systemId);
        c.put("password", password);
        c.put("from", "ClinicaBela");
        c.put("reconnect-delay", "100ms");
        c.put("enquire-link-interval", "1s");
        c.put("timeout", "2s");
        c.put("messages-per-second", "1000");
        return c;
    }

    /** Listens (again) on the port; a no-op while listening. */
    public void start() throws IOException {
        synchronized (lifecycle) {
            if (listener != null) {
                return;
            }
            SMPPServerSessionListener l = new SMPPServerSessionListener(port, new NoDelayServerSockets());
            l.setMessageReceiverListener(new Receiver());
            l.setResponseDeliveryListener(new Acknowledgements());
            synchronized (lock) {
                listener = l;
                stopping = false;
            }
            Thread t = daemon(() -> acceptLoop(l), "smsc-stand-in-acceptor");
            acceptor = t;
            t.start();
        }
    }

    /**
     * Stops: refuses new submits, waits for the acknowledgements under way, closes every session and the listener
     * (the port is free again). A no-op when stopped.
     */
    public void stop() {
        synchronized (lifecycle) {
            SMPPServerSessionListener l = listener;
            if (l == null) {
                return;
            }
            synchronized (lock) {
                stopping = true;
                long until = System.currentTimeMillis() + 5000;
                while (inFlight > 0 && System.currentTimeMillis() < until) {
                    try {
                        lock.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            try {
                l.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            // unbind as an SMSC that shuts down does: the client reads every answer written before the unbind,
            // where closing the socket under unread data (a deliver_sm_resp) would reset it and could drop them
            for (SMPPServerSession s : sessions) {
                if (s.getSessionState().isBound()) {
                    s.unbindAndClose();
                } else {
                    s.close();
                }
            }
            sessions.clear();
            Thread t = acceptor;
            if (t != null) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            listener = null;
        }
    }

    /** Whether it listens. */
    public boolean running() {
        return listener != null;
    }

    /** Stops by itself right after acknowledging {@code n} more submits. */
    public void stopAfterAccepted(int n) {
        stopAfter.set(n);
    }

    /** Whether a client is bound now. */
    public boolean bound() {
        return sessions.stream().anyMatch(s -> s.getSessionState().isBound());
    }

    /** How many binds were accepted so far. */
    public int binds() {
        return binds.get();
    }

    /** Refuses every submit to this destination (digits, with or without {@code +}) with ESME_RINVDSTADR. */
    public void rejectPermanently(String destination) {
        rejected.add(digits(destination));
    }

    /** Acknowledges submits to this destination but answers an UNDELIV receipt (err 001) for them. */
    public void failReceiptFor(String destination) {
        failing.add(digits(destination));
    }

    /** Answers the next {@code n} submits with ESME_RTHROTTLED. */
    public void throttleNext(int n) {
        throttle.set(n);
    }

    /** Whether acknowledged submits get a receipt (DELIVRD, or UNDELIV for {@link #failReceiptFor}); on at start. */
    public void autoReceipts(boolean on) {
        autoReceipts = on;
    }

    /** Accepts submits again: forgets refusals, failing receipts and throttling. */
    public void acceptAll() {
        rejected.clear();
        failing.clear();
        throttle.set(0);
    }

    /** Forgets what was received. */
    public void reset() {
        requests.clear();
        accepted.clear();
        owedReceipts.clear();
    }

    /** Every acknowledged submit, in order. */
    public List<Submit> submits() {
        return List.copyOf(accepted);
    }

    /** Every submit received, acknowledged or refused, in order. */
    public List<Submit> requests() {
        return List.copyOf(requests);
    }

    /** How many submits were acknowledged. */
    public int accepted() {
        return accepted.size();
    }

    /** How many submits to this destination were acknowledged. */
    public int accepted(String destination) {
        String d = digits(destination);
        return (int) accepted.stream().filter(s -> s.destination().equals(d)).count();
    }

    /** How many times segment {@code segment} of messages to this destination was acknowledged. */
    public int acceptedSegment(String destination, int segment) {
        String d = digits(destination);
        return (int) accepted.stream().filter(s -> s.destination().equals(d) && s.segment() == segment).count();
    }

    /**
     * Sends a delivery receipt on the bound session.
     *
     * @param stat DELIVRD, UNDELIV, REJECTD, EXPIRED, DELETED, ENROUTE, ACCEPTD
     * @return the deliver_sm_resp's command status (0: accepted)
     */
    public int sendReceipt(String messageId, String destination, String stat, String err) throws Exception {
        DeliveryReceipt r = new DeliveryReceipt(messageId, 1, "DELIVRD".equals(stat) ? 1 : 0, new Date(), new Date(),
                DeliveryReceiptState.valueOf(stat), err, "");
        return deliver(digits(destination), (byte) 1, new ESMClass(0x04), (byte) 0x00,
                r.toString().getBytes(StandardCharsets.US_ASCII),
                new OptionalParameter.Receipted_message_id(messageId));
    }

    /**
     * Sends a patient's SMS (a deliver_sm that is not a receipt) on the bound session.
     *
     * @param from       the sender's address as the SMSC gives it
     * @param ton        its type of number (1 international, 2 national, 0 unknown)
     * @param dataCoding 0x00 (GSM-7, the text must fit it), 0x03 (Latin-1) or 0x08 (UCS-2)
     * @return the deliver_sm_resp's command status (0: accepted)
     */
    public int sendInbound(String from, byte ton, String text, byte dataCoding) throws Exception {
        byte[] body = switch (dataCoding) {
            case 0x08 -> text.getBytes(StandardCharsets.UTF_16BE);
            case 0x03 -> text.getBytes(StandardCharsets.ISO_8859_1);
            default -> SmsText.encode(text, false, 0).segments().get(0).shortMessage();
        };
        return deliver(from, ton, new ESMClass(0x00), dataCoding, body);
    }

    /**
     * Sends the automatic receipts still owed, in order, on the bound session; those it cannot send now (no client
     * bound, the SMSC stopping) wait for the next bind, as a real SMSC stores and forwards its receipts.
     */
    private void sendOwedReceipts() {
        synchronized (owedReceipts) {
            Submit next;
            while (!stopping && (next = owedReceipts.peek()) != null) {
                boolean fail = failing.contains(next.destination());
                try {
                    sendReceipt(next.messageId(), next.destination(), fail ? "UNDELIV" : "DELIVRD",
                            fail ? "001" : "000");
                } catch (Exception notNow) {
                    return; // kept for the next bind
                }
                owedReceipts.poll();
            }
        }
    }

    private int deliver(String source, byte ton, ESMClass esm, byte dataCoding, byte[] body,
                        OptionalParameter... tlvs) throws Exception {
        SMPPServerSession s = sessions.stream().filter(x -> x.getSessionState().isBound()).reduce((a, b) -> b)
                .orElseThrow(() -> new IllegalStateException("no client is bound to the SMSC stand-in"));
        try {
            s.deliverShortMessage("", TypeOfNumber.valueOf(ton), NumberingPlanIndicator.ISDN, source,
                    TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, "ClinicaBela", esm, (byte) 0, (byte) 0,
                    new RegisteredDelivery(0), new RawDataCoding(dataCoding), body, tlvs);
            return 0;
        } catch (NegativeResponseException e) {
            return e.getCommandStatus();
        }
    }

    @Override
    public void close() {
        stop();
        receipts.shutdownNow();
    }

    // ---- the server ---------------------------------------------------------------------------------------------

    private void acceptLoop(SMPPServerSessionListener l) {
        while (true) {
            SMPPServerSession session;
            try {
                session = l.accept();
            } catch (IOException closed) {
                return;
            }
            if (stopping) {
                session.close();
                continue;
            }
            sessions.add(session);
            receipts.execute(() -> bind(session));
        }
    }

    private void bind(SMPPServerSession session) {
        try {
            BindRequest request = session.waitForBind(5000);
            if (request.getBindType() == BindType.BIND_TRX && systemId.equals(request.getSystemId())
                    && password.equals(request.getPassword())) {
                request.accept(systemId);
                binds.incrementAndGet();
                receipts.execute(this::sendOwedReceipts); // as an SMSC does: the receipts it could not deliver
            } else {
                // the client closes the connection on the refusal; closing here first could lose the answer
                request.reject(ESME_RBINDFAIL);
            }
        } catch (Exception e) {
            session.close();
            sessions.remove(session);
        }
    }

    private final class Receiver implements ServerMessageReceiverListener {

        @Override
        public SubmitSmResult onAcceptSubmitSm(SubmitSm sm, SMPPServerSession source) throws ProcessRequestException {
            int status = 0;
            String id = null;
            synchronized (lock) {
                if (stopping) {
                    status = ESME_RSYSERR;
                } else if (rejected.contains(sm.getDestAddress())) {
                    status = ESME_RINVDSTADR;
                } else if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    status = ESME_RTHROTTLED;
                } else {
                    inFlight++;
                    id = String.format("%08X", ids.incrementAndGet());
                    if (stopAfter.get() > 0 && stopAfter.decrementAndGet() == 0) {
                        stopping = true; // nothing after this one is acknowledged
                        stopAfter.set(-1);
                        receipts.execute(SmscStandIn.this::stop);
                    }
                }
            }
            Submit submit = submit(sm, id, status);
            requests.add(submit);
            if (status != 0) {
                throw new ProcessRequestException("refused by the stand-in", status);
            }
            pending.put(id, submit);
            accepted.add(submit); // counted before the answer leaves: stop() lets every such answer go out first
            try {
                return new SubmitSmResult(new MessageId(id), new OptionalParameter[0]);
            } catch (org.jsmpp.PDUStringException e) {
                throw new ProcessRequestException("bad id", ESME_RSYSERR, e);
            }
        }

        @Override
        public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public BroadcastSmResult onAcceptBroadcastSm(BroadcastSm broadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public void onAcceptCancelBroadcastSm(CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public QueryBroadcastSmResult onAcceptQueryBroadcastSm(QueryBroadcastSm queryBroadcastSm,
                                                               SMPPServerSession source)
                throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }

        @Override
        public DataSmResult onAcceptDataSm(DataSm dataSm, Session source) throws ProcessRequestException {
            throw new ProcessRequestException("not supported", 0x03);
        }
    }

    private final class Acknowledgements implements ServerResponseDeliveryListener {

        @Override
        public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
            Submit submit = pending.remove(result.getMessageId());
            done();
            if (submit != null && autoReceipts) {
                owedReceipts.add(submit);
                receipts.execute(SmscStandIn.this::sendOwedReceipts);
            }
        }

        @Override
        public void onSubmitSmRespError(SubmitSmResult result, Exception cause, SMPPServerSession source) {
            Submit submit = pending.remove(result.getMessageId());
            if (submit != null) {
                accepted.remove(submit); // the answer never left: not acknowledged
            }
            done();
        }

        private void done() {
            synchronized (lock) {
                inFlight--;
                lock.notifyAll();
            }
        }

        @Override
        public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession source) {
        }

        @Override
        public void onSubmitMultiRespError(SubmitMultiResult result, Exception cause, SMPPServerSession source) {
        }
    }

    private static Submit submit(SubmitSm sm, String id, int status) {
        byte[] body = sm.getShortMessage() == null ? new byte[0] : sm.getShortMessage();
        byte[] udh = null;
        int from = 0;
        if ((sm.getEsmClass() & 0x40) != 0 && body.length > 0) {
            from = Math.min(body.length, (body[0] & 0xFF) + 1);
            udh = Arrays.copyOf(body, from);
        }
        byte[] text = Arrays.copyOfRange(body, from, body.length);
        String decoded = sm.getDataCoding() == 0x08 ? new String(text, StandardCharsets.UTF_16BE)
                : SmsText.decode(text, sm.getDataCoding(), false);
        return new Submit(sm.getSourceAddr(), sm.getSourceAddrTon(), sm.getSourceAddrNpi(), sm.getDestAddress(),
                sm.getDestAddrTon(), sm.getDestAddrNpi(), sm.getEsmClass(), sm.getRegisteredDelivery(),
                sm.getDataCoding(), body, udh, decoded, id, status);
    }

    /** Server sockets whose connections send each PDU at once (no Nagle delay). */
    private static final class NoDelayServerSockets implements ServerConnectionFactory {

        @Override
        public ServerConnection listen(int port) throws IOException {
            return listen(port, 0);
        }

        @Override
        public ServerConnection listen(int port, int timeout) throws IOException {
            return listen(port, timeout, 50);
        }

        @Override
        public ServerConnection listen(int port, int timeout, int backlog) throws IOException {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new java.net.InetSocketAddress(port), backlog);
            server.setSoTimeout(timeout);
            return new ServerConnection() {
                @Override
                public Connection accept() throws IOException {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    return new SocketConnection(s);
                }

                @Override
                public void setSoTimeout(int t) throws IOException {
                    server.setSoTimeout(t);
                }

                @Override
                public int getSoTimeout() throws IOException {
                    return server.getSoTimeout();
                }

                @Override
                public void close() throws IOException {
                    server.close();
                }
            };
        }
    }

    private static String digits(String number) {
        return number.startsWith("+") ? number.substring(1) : number;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
