package dev.ponte.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

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

    /** Memory an address may hold before its messages are paged to disk. */
    static final long ADDRESS_MEMORY_BYTES = 32L << 20;

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
        AddressSettings redelivery = new AddressSettings()
                .setMaxDeliveryAttempts(s.maxDeliveryAttempts())
                .setRedeliveryDelay(s.redeliveryDelay())
                .setRedeliveryMultiplier(s.redeliveryMultiplier())
                .setMaxRedeliveryDelay(s.maxRedeliveryDelay())
                .setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                // past this much in memory a queue pages to disk (a bulk import reads files faster than the hub
                // takes them in): the heap stays bounded whatever the size of the import
                .setMaxSizeBytes(ADDRESS_MEMORY_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE);
        // messages carry no time-to-live, but should one ever expire it becomes a dead letter like any other; and
        // ponte.dlq is retried by the drain for ever (without a setting Artemis drops a message after 10 failed
        // deliveries when no dead-letter address is set). Both also keep Artemis from warning at each start that
        // queues have no expiry or dead-letter address (AMQ222165, AMQ222166), which asks nothing of an admin.
        config.addAddressSetting("#", new AddressSettings().setExpiryAddress(SimpleString.of(Queues.DLQ)));
        config.addAddressSetting(Queues.DLQ, new AddressSettings().setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                .setMaxDeliveryAttempts(-1).setExpiryAddress(SimpleString.of(Queues.DLQ)));
        config.addAddressSetting("ponte.in.#", redelivery);
        config.addAddressSetting("ponte.out.#", redelivery);
        // each subscriber of the events gets a queue of its own, filled while it is offline if its subscription is
        // durable: page those to disk too. Address settings match the address, not the queue, so the hub's flows
        // (durable queues ponte.flow.<name> on this address) get their redelivery here: the same backoff, attempts
        // and dead-letter address as the hub's queues, which an external subscriber that rolls back gets too
        config.addAddressSetting(Queues.EVENTS, redelivery);
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
