package dev.ponte.inbound;

import dev.ponte.broker.Queues;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;

/**
 * The transacted, ordered consumer of one source instance's queue {@code ponte.in.<instance>}: each chunk or external
 * change goes through the {@link InboundProcessor} in one database transaction, acknowledged only after it commits.
 * A message that cannot be read is retried by the broker, then moved to {@code ponte.dlq}.
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
                    Object message = InboundMessages.parse(e.getIn().getBody(String.class), instance);
                    List<RowResult> results = message instanceof ExternalChange change
                            ? List.of(processor.applyChange(change)) : processor.process((InboundChunk) message);
                    listener.processed(message, results);
                });
    }
}
