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
    private final String user;
    private final String password;
    private final CachingConnectionFactory caching;

    /**
     * @param url      {@link EmbeddedBroker#IN_VM_URL} or an external {@code tcp://host:61616}
     * @param user     user or {@code null}
     * @param password password or {@code null}
     */
    public BrokerClient(String url, String user, String password) {
        factory = new ActiveMQConnectionFactory(url, user, password);
        this.user = user;
        this.password = password;
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

    /** The durable subscription of the flow sink-commands: multicast queue {@link Queues#SINK_COMMANDS} on the events. */
    public static org.apache.activemq.artemis.api.core.QueueConfiguration sinkCommandsQueue() {
        return flowQueue(Queues.SINK_COMMANDS);
    }

    /** The durable subscription of a flow: a multicast queue of that name on the events. */
    public static org.apache.activemq.artemis.api.core.QueueConfiguration flowQueue(String queue) {
        return org.apache.activemq.artemis.api.core.QueueConfiguration.of(queue)
                .setAddress(Queues.EVENTS)
                .setRoutingType(org.apache.activemq.artemis.api.core.RoutingType.MULTICAST)
                .setDurable(true);
    }

    /**
     * Makes sure the durable subscription of the flow sink-commands exists, before anything is published: the
     * embedded broker declares it, an external one gets it created here (the hub's user needs the permissions
     * {@code createAddress} and {@code createDurableQueue} on {@code ponte.events}, or the operator declares it in
     * {@code broker.xml}). A consumer of the fully qualified name would not do: Artemis would auto-create an anycast
     * queue, which multicast events never reach.
     *
     * @throws IllegalStateException when it cannot be created, or a queue of that name is not a durable multicast
     *                               queue on {@code ponte.events}
     */
    public void ensureSinkCommandsSubscription() throws Exception {
        ensureSubscription(Queues.SINK_COMMANDS);
    }

    /**
     * Makes sure the flows' durable subscriptions are what this hub runs: {@link Queues#SINK_COMMANDS} and
     * {@link Queues#CLINIC} always;
     * {@link Queues#REMINDERS} while messaging is on, and removed while it is off (nobody would consume it: it would
     * grow with every event, and a consumer only to drain it costs one acknowledgement per event); likewise
     * {@link Queues#INVOICES} while invoicing is on.
     */
    public void ensureFlowSubscriptions(boolean reminders, boolean invoices) throws Exception {
        ensureSubscription(Queues.SINK_COMMANDS);
        ensureSubscription(Queues.CLINIC);
        for (java.util.Map.Entry<String, Boolean> flow : java.util.Map.of(Queues.REMINDERS, reminders,
                Queues.INVOICES, invoices).entrySet()) {
            if (flow.getValue()) {
                ensureSubscription(flow.getKey());
            } else {
                removeSubscription(flow.getKey());
            }
        }
    }

    /** Removes a flow's subscription, with the events waiting in it, when it exists. */
    public void removeSubscription(String queue) throws Exception {
        org.apache.activemq.artemis.api.core.SimpleString name =
                org.apache.activemq.artemis.api.core.SimpleString.of(queue);
        try (org.apache.activemq.artemis.api.core.client.ClientSessionFactory sessions =
                     factory.getServerLocator().createSessionFactory();
             org.apache.activemq.artemis.api.core.client.ClientSession session =
                     sessions.createSession(user, password, false, true, true, false, 0)) {
            if (session.queueQuery(name).isExists()) {
                session.deleteQueue(name);
            }
        }
    }

    /** Like {@link #ensureSinkCommandsSubscription()}, for the subscription {@code queue} of a flow. */
    public void ensureSubscription(String queue) throws Exception {
        org.apache.activemq.artemis.api.core.SimpleString name =
                org.apache.activemq.artemis.api.core.SimpleString.of(queue);
        try (org.apache.activemq.artemis.api.core.client.ClientSessionFactory sessions =
                     factory.getServerLocator().createSessionFactory();
             org.apache.activemq.artemis.api.core.client.ClientSession session =
                     sessions.createSession(user, password, false, true, true, false, 0)) {
            org.apache.activemq.artemis.api.core.client.ClientSession.QueueQuery query = session.queueQuery(name);
            if (!query.isExists()) {
                try {
                    session.createQueue(flowQueue(queue));
                } catch (org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException raced) {
                    // created meanwhile (another hub on the same broker): checked below
                }
                query = session.queueQuery(name);
            }
            if (!query.isExists() || !Queues.EVENTS.equals(String.valueOf(query.getAddress()))
                    || query.getRoutingType() != org.apache.activemq.artemis.api.core.RoutingType.MULTICAST
                    || !query.isDurable()) {
                throw new IllegalStateException("the broker's queue " + queue + " must be a durable "
                        + "multicast queue on the address " + Queues.EVENTS + " (found: " + (query.isExists()
                        ? "address " + query.getAddress() + ", " + query.getRoutingType() + ", durable "
                        + query.isDurable() : "none") + ")");
            }
        }
    }

    @Override
    public void close() {
        caching.destroy();
        factory.close();
    }
}
