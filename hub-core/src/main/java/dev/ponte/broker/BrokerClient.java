package dev.ponte.broker;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The hub's connection to its broker (embedded or external) and the Camel {@code jms} component on top of it.
 * Close it after Camel stopped.
 */
public final class BrokerClient implements AutoCloseable {

    private final ActiveMQConnectionFactory factory;
    private final CachingConnectionFactory caching;

    /**
     * @param url      {@link EmbeddedBroker#IN_VM_URL} or an external {@code tcp://host:61616}
     * @param user     user or {@code null}
     * @param password password or {@code null}
     */
    public BrokerClient(String url, String user, String password) {
        factory = new ActiveMQConnectionFactory(url, user, password);
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
