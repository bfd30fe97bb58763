package dev.ponte.broker;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The hub's connection to its broker (embedded or external) and the Camel {@code jms} component on top of it.
 * Close it after Camel stopped.
 */
public final class BrokerClient implements AutoCloseable {

    /** Bodies from this size on are streamed as Artemis "large messages". */
    static final int LARGE_MESSAGE_BYTES = 1 << 20;

    private final ActiveMQConnectionFactory factory;
    private final CachingConnectionFactory caching;

    /**
     * @param url      {@link EmbeddedBroker#IN_VM_URL} or an external {@code tcp://host:61616}
     * @param user     user or {@code null}
     * @param password password or {@code null}
     */
    public BrokerClient(String url, String user, String password) {
        factory = new ActiveMQConnectionFactory(url, user, password);
        // A chunk of 500 rows is ~300 KB of JSON, over the 100 KB at which Artemis streams a body as a "large
        // message" (a file on the broker, read back by the client one byte at a time: a sixth of the inbound
        // consumer's time). Up to 1 MiB a body travels as a regular message; the broker pages queues that grow
        // past their limit to disk (EmbeddedBroker), so memory stays bounded.
        factory.setMinLargeMessageSize(LARGE_MESSAGE_BYTES);
        caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(20);
    }

    /** A Camel JMS component over this connection; bind it as {@code jms}. */
    public JmsComponent jmsComponent() {
        return JmsComponent.jmsComponent(caching);
    }

    /** The shared, caching connection factory (one connection, pooled sessions and producers), for hub code. */
    public jakarta.jms.ConnectionFactory sharedConnectionFactory() {
        return caching;
    }

    /** The plain connection factory, for health checks (a fresh connection each time). */
    public jakarta.jms.ConnectionFactory connectionFactory() {
        return factory;
    }

    @Override
    public void close() {
        caching.destroy();
        factory.close();
    }
}
