package dev.ponte.inbound;

import dev.ponte.broker.Queues;
import dev.ponte.spi.ExternalChange;
import dev.ponte.spi.InboundChunk;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;

/**
 * The transacted, ordered consumer of one source instance's queue {@code ponte.in.<instance>}: each chunk or external
 * change goes through the {@link InboundProcessor} in one database transaction, acknowledged only after it commits.
 * A message that cannot be read is retried by the broker, then moved to {@code ponte.dlq}. A message delivered again
 * (an earlier attempt rolled back) is logged at INFO with its attempt number: a graceful stop must never cause one.
 */
public final class InboundRoutes extends RouteBuilder {

    /** Told about each processed message, after its transaction committed. */
    @FunctionalInterface
    public interface Listener {
        void processed(Object message, List<RowResult> results) throws Exception;
    }

    private final String instance;
    private final InboundProcessor processor;
    private final Listener listener;

    public InboundRoutes(String instance, InboundProcessor processor, Listener listener) {
        this.instance = instance;
        this.processor = processor;
        this.listener = listener;
    }

    @Override
    public void configure() {
        from(Queues.transactedConsumer(Queues.inbound(instance)))
                .routeId(instance + "-inbound")
                .errorHandler(defaultErrorHandler().logExhausted(false))
                .process(e -> {
                    logRedelivery(e);
                    Object message = InboundMessages.parse(e.getIn().getBody(String.class),
                            e.getIn().getHeader(dev.ponte.spi.InboundSender.KIND_HEADER, String.class), instance);
                    List<RowResult> results = message instanceof ExternalChange change
                            ? List.of(processor.applyChange(change)) : processor.process((InboundChunk) message);
                    listener.processed(message, results);
                });
    }

    private void logRedelivery(org.apache.camel.Exchange e) throws jakarta.jms.JMSException {
        jakarta.jms.Message jms = e.getIn() instanceof org.apache.camel.component.jms.JmsMessage m
                ? m.getJmsMessage() : null;
        if (jms != null && jms.getJMSRedelivered()) {
            log.info("{}: message {} delivered again (attempt {}): an earlier attempt did not commit", instance,
                    jms.getJMSMessageID(), jms.getIntProperty("JMSXDeliveryCount"));
        }
    }
}
