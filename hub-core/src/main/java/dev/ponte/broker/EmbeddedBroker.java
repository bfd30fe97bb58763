package dev.ponte.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The embedded Apache Artemis broker: persistent journal under {@link BrokerSettings#dir()}, in-VM acceptor
 * {@code vm://0} (plus an optional TCP one, for Core, AMQP 1.0, STOMP and MQTT clients; which of them is the
 * acceptor's {@code protocols=} parameter), the multicast address {@link Queues#EVENTS} with the durable queue of the
 * flow {@link Queues#SINK_COMMANDS} bound to it, and the address settings that make redelivery the broker's job:
 * exponential backoff, a maximum number of attempts, then the dead-letter address {@link Queues#DLQ}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** The in-VM URL clients use to reach the embedded broker. */
    public static final String IN_VM_URL = "vm://0";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    public EmbeddedBroker(BrokerSettings s) throws Exception {
        Configuration config = new ConfigurationImpl()
                .setName("ponte")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(s.dir().resolve("journal").toString())
                .setBindingsDirectory(s.dir().resolve("bindings").toString())
                .setLargeMessagesDirectory(s.dir().resolve("large-messages").toString())
                .setPagingDirectory(s.dir().resolve("paging").toString())
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", IN_VM_URL);
        if (s.tcpAcceptor() != null && !s.tcpAcceptor().isBlank()) {
            config.addAcceptorConfiguration("tcp", s.tcpAcceptor());
        }
        BrokerAddressSettings.of(s).forEach(config::addAddressSetting);
        // the events' address exists from the start, multicast: a subscriber of any protocol that attaches before the
        // first event (AMQP without a "topic" capability, STOMP without a subscription-type) gets a subscription of
        // its own, and does not auto-create an anycast queue named ponte.events
        config.addAddressConfiguration(new CoreAddressConfiguration().setName(Queues.EVENTS)
                .addRoutingType(RoutingType.MULTICAST));
        // the durable subscription of the flow sink-commands exists from the first start, before any event
        // the reminder flow's subscription exists only while messaging is on: BrokerClient.ensureFlowSubscriptions
        config.addQueueConfiguration(BrokerClient.sinkCommandsQueue());
        config.addQueueConfiguration(QueueConfiguration.of(Queues.DLQ).setAddress(Queues.DLQ)
                .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        server.setConfiguration(config);
        server.start();
    }

    /**
     * The messages the broker holds in all its queues, those being delivered and those waiting for a redelivery
     * included: 0 when every message sent so far has been taken and acknowledged (what {@code ponte demo} waits for).
     */
    public long pendingMessages() {
        return server.getActiveMQServer().getPostOffice().getAllBindings()
                .filter(b -> b instanceof org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding)
                .map(b -> ((org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding) b).getQueue())
                .mapToLong(q -> q.getMessageCount()) // Artemis counts the messages being delivered in it
                .sum();
    }

    /** Messages held per queue (being delivered and waiting for redelivery included), by queue name. */
    public java.util.Map<String, Long> queueDepths() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        server.getActiveMQServer().getPostOffice().getAllBindings()
                .filter(b -> b instanceof org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding)
                .map(b -> ((org.apache.activemq.artemis.core.postoffice.impl.LocalQueueBinding) b).getQueue())
                .forEach(q -> out.put(q.getName().toString(), q.getMessageCount()));
        return out;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
