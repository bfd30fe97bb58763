package dev.ponte.connectors.sms;

import dev.ponte.spi.Health;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The transceiver bind to the SMSC, kept up: a background reconnector binds at start and, whenever the bind fails
 * or the SMSC goes away (the session unbound or closed: the SMSC stopped, the connection broke, enquire_link got no
 * answer), binds again after {@code reconnect-delay}, as often as it takes, until {@link #close()}. Each bind is a
 * fresh jsmpp {@link SMPPSession} (a closed one cannot be reused) with the enquire_link keep-alive and the
 * transaction timer ({@code timeout}) of the settings.
 *
 * <p>{@link #session()} is the bound session or {@code null}; {@link #health()} is UP while bound and otherwise
 * DOWN with the reason (a refused bind names the system-id and password keys). The password is never logged or
 * shown.
 */
final class SmppBinding implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SmppBinding.class);

    /**
     * @param instance          the connector instance, for logs and thread names
     * @param host              the SMSC's host
     * @param port              the SMSC's port
     * @param systemId          system_id of the bind
     * @param password          password of the bind
     * @param systemType        system_type of the bind, or empty
     * @param enquireLinkMillis enquire_link interval when idle
     * @param timeoutMillis     connect timeout, and the time to wait for any response
     * @param reconnectMillis   wait before binding again
     * @param credentialKeys    the full keys of system-id and password, for the reason of a refused bind
     */
    record Settings(String instance, String host, int port, String systemId, String password, String systemType,
                    int enquireLinkMillis, long timeoutMillis, long reconnectMillis, String credentialKeys) {

        String smsc() {
            return host + ":" + port;
        }

        @Override
        public String toString() {
            return "Settings[" + instance + " " + smsc() + " system-id " + systemId + "]"; // never the password
        }
    }

    private final Settings settings;
    private final MessageReceiverListener receiver;
    private final ScheduledExecutorService reconnector;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Object lock = new Object();
    private volatile SMPPSession session;
    private volatile String down = "not bound yet: the first bind is under way";
    private volatile boolean closed;

    SmppBinding(Settings settings, MessageReceiverListener receiver) {
        this.settings = settings;
        this.receiver = receiver;
        this.reconnector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ponte-smpp-" + settings.instance());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts binding in the background. */
    void start() {
        schedule(0);
    }

    /** The bound session, or {@code null} while not bound. */
    SMPPSession session() {
        SMPPSession s = session;
        return s != null && s.getSessionState().isBound() ? s : null;
    }

    /** Why no session is bound; {@code null} while bound. */
    String down() {
        SMPPSession s = session;
        return s != null && s.getSessionState().isBound() ? null : down;
    }

    Health health() {
        String reason = down();
        return reason == null ? Health.up("bound to the SMSC " + settings.smsc() + " as transceiver (system-id "
                + settings.systemId() + ")") : Health.down(reason);
    }

    /**
     * Drops a session that failed under a send (an I/O error the reader thread has not seen yet) and binds again
     * after the delay.
     */
    void lost(SMPPSession s, String why) {
        boolean current;
        synchronized (lock) {
            current = s == session;
            if (current) {
                session = null;
                down = "the connection to the SMSC " + settings.smsc() + " was lost (" + why + "); binding again in "
                        + delay();
            }
        }
        if (current) {
            LOG.warn("{}: {}", settings.instance(), down);
            s.close();
            schedule(settings.reconnectMillis());
        }
    }

    private void schedule(long delayMillis) {
        if (!closed && scheduled.compareAndSet(false, true)) {
            try {
                reconnector.schedule(this::bind, delayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                scheduled.set(false);
            }
        }
    }

    private void bind() {
        scheduled.set(false);
        if (closed || session != null) {
            return;
        }
        SMPPSession s = new SMPPSession(new TimedConnections(settings.timeoutMillis()));
        s.setEnquireLinkTimer(settings.enquireLinkMillis());
        s.setTransactionTimer(settings.timeoutMillis());
        // one PDU processor: the SMSC's PDUs are handled in the order they arrive, so a submit_sm_resp the SMSC wrote
        // before its unbind reaches the waiting submit before the unbind closes the session (with several, the unbind
        // could close it first, the answer would be lost and the segment sent twice); receipts are recorded quickly
        s.setPduProcessorDegree(1);
        s.setMessageReceiverListener(receiver);
        s.addSessionStateListener((newState, oldState, source) -> {
            if (newState == SessionState.UNBOUND || newState == SessionState.CLOSED) {
                gone(s);
            }
        });
        try {
            s.connectAndBind(settings.host(), settings.port(), new BindParameter(BindType.BIND_TRX,
                    settings.systemId(), settings.password(), settings.systemType(), TypeOfNumber.UNKNOWN,
                    NumberingPlanIndicator.UNKNOWN, null), settings.timeoutMillis());
        } catch (IOException | RuntimeException e) {
            s.close();
            String reason = reason(e);
            if (!reason.equals(down)) {
                LOG.warn("{}: {}", settings.instance(), reason);
            }
            down = reason;
            schedule(settings.reconnectMillis());
            return;
        }
        synchronized (lock) {
            if (closed) {
                s.unbindAndClose();
                return;
            }
            session = s;
            down = null;
        }
        if (!s.getSessionState().isBound()) {
            gone(s); // closed between the bind and now
            return;
        }
        LOG.info("{}: bound to the SMSC {} as transceiver (system-id {})", settings.instance(), settings.smsc(),
                settings.systemId());
    }

    /** The SMSC unbound or closed a session: bind again after the delay, unless it is not the current one. */
    private void gone(SMPPSession s) {
        boolean current;
        synchronized (lock) {
            current = s == session;
            if (current) {
                session = null;
                down = "the SMSC " + settings.smsc() + " closed the session; binding again in " + delay();
            }
        }
        if (current && !closed) {
            LOG.warn("{}: {}", settings.instance(), down);
            schedule(settings.reconnectMillis());
        }
    }

    private String reason(Exception e) {
        NegativeResponseException refused = cause(e, NegativeResponseException.class);
        if (refused != null) {
            int status = refused.getCommandStatus();
            return "the SMSC " + settings.smsc() + " refused the bind: " + SmppStatus.describe(status)
                    + (SmppStatus.credentials(status) ? "; check " + settings.credentialKeys() : "")
                    + "; binding again every " + delay();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return "cannot bind to the SMSC " + settings.smsc() + " (" + root.getClass().getSimpleName()
                + (root.getMessage() != null ? ": " + root.getMessage() : "") + "); check host and port and that the "
                + "SMSC is up; binding again every " + delay();
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private String delay() {
        long ms = settings.reconnectMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** Unbinds and closes the session and stops the reconnector. */
    @Override
    public void close() {
        SMPPSession s;
        synchronized (lock) {
            closed = true;
            s = session;
            session = null;
            down = "closed";
        }
        reconnector.shutdownNow();
        if (s != null) {
            s.unbindAndClose();
        }
    }

    /**
     * Sockets with a connect timeout (jsmpp's default factory waits as long as the system does) and without
     * Nagle's delay (one submit at a time would otherwise wait about 40 ms for each acknowledgement).
     */
    private record TimedConnections(long timeoutMillis) implements ConnectionFactory {
        @Override
        public Connection createConnection(String host, int port) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(Objects.requireNonNull(host), port),
                        (int) Math.min(Integer.MAX_VALUE, timeoutMillis));
                socket.setTcpNoDelay(true); // a PDU goes out at once, not after the peer's delayed ACK
                return new SocketConnection(socket);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
    }
}
