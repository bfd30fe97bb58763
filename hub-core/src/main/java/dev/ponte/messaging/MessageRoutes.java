package dev.ponte.messaging;

import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The message scheduler: a timer ({@code ponte.messaging.dispatch-interval}) that hands the due messages to their
 * channels' sinks ({@code ponte.out.<instance>}). The schedule is the {@code message} table, not the timer: a
 * restart loses nothing, and the first run after a start hands again the commands of messages left QUEUED by a
 * crash between the commit and the send.
 */
public final class MessageRoutes extends RouteBuilder {

    /** The route id. */
    public static final String ROUTE_ID = "messages-dispatch";
    private static final Logger LOG = LoggerFactory.getLogger(MessageRoutes.class);

    private final Messaging messaging;
    private final AtomicBoolean recovered = new AtomicBoolean();
    private volatile ProducerTemplate producer;

    public MessageRoutes(Messaging messaging) {
        this.messaging = messaging;
    }

    @Override
    public void configure() {
        from("timer:ponte-messages?delay=0&period=" + messaging.settings().interval().toMillis())
                .routeId(ROUTE_ID)
                .process(e -> runOnce());
    }

    /** One look: after a start, the commands left QUEUED; then the messages due now. */
    public int runOnce() {
        if (producer == null) {
            producer = getContext().createProducerTemplate();
        }
        int sent = 0;
        if (recovered.compareAndSet(false, true)) {
            List<MessageDispatcher.Addressed> again = messaging.dispatcher().recover(messaging.clock().instant());
            if (!again.isEmpty()) {
                LOG.info("messages: handing {} message(s) left queued by the last stop to their channels again",
                        again.size());
            }
            sent += send(again);
        }
        sent += send(messaging.dispatcher().dispatchDue());
        return sent;
    }

    private int send(List<MessageDispatcher.Addressed> commands) {
        int sent = 0;
        for (MessageDispatcher.Addressed a : commands) {
            try {
                producer.sendBodyAndHeader(Queues.jms(Queues.outbound(a.connector())),
                        Json.MAPPER.writeValueAsString(a.command()), "JMSCorrelationID", a.command().correlationId());
                sent++;
            } catch (Exception e) {
                LOG.warn("messages: could not hand message {} to {} ({}); it is due again shortly",
                        a.command().canonicalId(), a.connector(), e.getClass().getSimpleName());
                messaging.dispatcher().sendFailed(a, e.getClass().getSimpleName());
            }
        }
        return sent;
    }
}
