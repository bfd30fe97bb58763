package dev.ponte.hub;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.nio.file.Path;

/**
 * The embedded Apache Artemis broker: persistent journal under {@code <data-dir>/broker}, in-VM acceptor (plus an
 * optional TCP one), and the address settings that make redelivery the broker's job: exponential backoff, a maximum
 * number of attempts, then the dead-letter address {@code ponte.dlq}.
 */
final class EmbeddedBroker implements AutoCloseable {

    static final String DLQ = "ponte.dlq";
    static final String EVENTS = "ponte.events";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();

    EmbeddedBroker(HubSettings s) throws Exception {
        Path dir = s.dataDir().resolve("broker");
        Configuration config = new ConfigurationImpl()
                .setName("ponte")
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://0");
        String acceptor = s.get("ponte.broker.acceptor");
        if (acceptor != null) {
            config.addAcceptorConfiguration("tcp", acceptor);
        }
        AddressSettings redelivery = new AddressSettings()
                .setMaxDeliveryAttempts(s.getInt("ponte.broker.max-delivery-attempts"))
                .setRedeliveryDelay(s.getLong("ponte.broker.redelivery-delay"))
                .setRedeliveryMultiplier(s.getDouble("ponte.broker.redelivery-multiplier"))
                .setMaxRedeliveryDelay(s.getLong("ponte.broker.max-redelivery-delay"))
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of(DLQ))
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true);
        config.addAddressSetting("ponte.in.#", redelivery);
        config.addAddressSetting("ponte.out.#", redelivery);
        config.addAddressSetting("ponte.flow.#", redelivery);
        config.addQueueConfiguration(QueueConfiguration.of(DLQ).setAddress(DLQ).setRoutingType(RoutingType.ANYCAST)
                .setDurable(true));
        server.setConfiguration(config);
        server.start();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
