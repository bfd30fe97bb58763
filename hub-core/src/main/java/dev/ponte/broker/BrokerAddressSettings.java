package dev.ponte.broker;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the hub needs of a broker, in one place: the address settings (redelivery with backoff, the dead-letter and
 * expiry address {@link Queues#DLQ}, paging) and the addresses and queues that must exist before the first message.
 * The embedded broker is configured from here ({@link EmbeddedBroker}); for an external Artemis,
 * {@link #brokerXml} renders the same as {@code broker.xml} elements ({@code bin/ponte broker-config}), which the
 * operator puts in the broker's configuration.
 */
public final class BrokerAddressSettings {

    /** Memory an address may hold before its messages are paged to disk. */
    public static final long ADDRESS_MEMORY_BYTES = 32L << 20;

    /**
     * Message groups (a record's events, an import run's chunks: {@code JMSXGroupID}) are hashed into this many
     * buckets per queue, each bucket taken by one consumer at a time: the broker's memory stays bounded with a
     * group per record, and the work spreads over the hubs.
     */
    public static final int GROUP_BUCKETS = 64;

    private BrokerAddressSettings() {
    }

    /** The hub's address settings by match, most general first (as Artemis merges them). */
    public static Map<String, AddressSettings> of(BrokerSettings s) {
        Map<String, AddressSettings> out = new LinkedHashMap<>();
        // messages carry no time-to-live, but should one ever expire it becomes a dead letter like any other; and
        // ponte.dlq is retried by the drain for ever (without a setting Artemis drops a message after 10 failed
        // deliveries when no dead-letter address is set). Both also keep Artemis from warning at each start that
        // queues have no expiry or dead-letter address (AMQ222165, AMQ222166), which asks nothing of an admin.
        out.put("#", new AddressSettings().setExpiryAddress(SimpleString.of(Queues.DLQ)));
        out.put(Queues.DLQ, new AddressSettings().setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                .setMaxDeliveryAttempts(-1).setExpiryAddress(SimpleString.of(Queues.DLQ)));
        out.put("ponte.in.#", redelivery(s));
        out.put("ponte.out.#", redelivery(s));
        // each subscriber of the events gets a queue of its own, filled while it is offline if its subscription is
        // durable: page those to disk too. Address settings match the address, not the queue, so the hub's flows
        // (durable queues ponte.flow.<name> on this address) get their redelivery here: the same backoff, attempts
        // and dead-letter address as the hub's queues, which an external subscriber that rolls back gets too
        out.put(Queues.EVENTS, redelivery(s));
        return out;
    }

    private static AddressSettings redelivery(BrokerSettings s) {
        return new AddressSettings()
                .setMaxDeliveryAttempts(s.maxDeliveryAttempts())
                .setRedeliveryDelay(s.redeliveryDelay())
                .setRedeliveryMultiplier(s.redeliveryMultiplier())
                .setMaxRedeliveryDelay(s.maxRedeliveryDelay())
                .setDeadLetterAddress(SimpleString.of(Queues.DLQ))
                .setExpiryAddress(SimpleString.of(Queues.DLQ))
                .setAutoCreateQueues(true)
                .setAutoCreateAddresses(true)
                // past this much in memory a queue pages to disk (a bulk import reads files faster than the hub
                // takes them in): the heap stays bounded whatever the size of the import
                .setMaxSizeBytes(ADDRESS_MEMORY_BYTES)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // a hub that joins gets its share of the groups; the broker first waits for what the others have
                // in hand, so a group's messages are still taken in order
                .setDefaultGroupBuckets(GROUP_BUCKETS)
                .setDefaultGroupRebalance(true)
                .setDefaultGroupRebalancePauseDispatch(true);
    }

    /**
     * The same for an external Artemis: {@code <address-setting>} elements to add inside {@code <address-settings>}
     * and {@code <address>} elements to add inside {@code <addresses>} of its {@code broker.xml}. The catch-all
     * {@code #} is left out: a broker has its own, and Artemis takes the most specific match field by field, so the
     * hub's addresses get the hub's settings whatever the broker's default.
     */
    public static String brokerXml(BrokerSettings s) {
        StringBuilder x = new StringBuilder();
        x.append("<!-- Ponte: inside <address-settings> -->\n");
        for (Map.Entry<String, AddressSettings> e : of(s).entrySet()) {
            if (e.getKey().equals("#")) {
                continue;
            }
            AddressSettings a = e.getValue();
            x.append("<address-setting match=\"").append(e.getKey()).append("\">\n");
            element(x, "dead-letter-address", Queues.DLQ);
            element(x, "expiry-address", Queues.DLQ);
            element(x, "max-delivery-attempts", a.getMaxDeliveryAttempts());
            if (!e.getKey().equals(Queues.DLQ)) {
                element(x, "redelivery-delay", a.getRedeliveryDelay());
                element(x, "redelivery-delay-multiplier", a.getRedeliveryMultiplier());
                element(x, "max-redelivery-delay", a.getMaxRedeliveryDelay());
                element(x, "max-size-bytes", a.getMaxSizeBytes());
                element(x, "address-full-policy", a.getAddressFullMessagePolicy().name());
                element(x, "auto-create-queues", true);
                element(x, "auto-create-addresses", true);
                element(x, "default-group-buckets", a.getDefaultGroupBuckets());
                element(x, "default-group-rebalance", a.isDefaultGroupRebalance());
                element(x, "default-group-rebalance-pause-dispatch", a.isDefaultGroupRebalancePauseDispatch());
            }
            x.append("</address-setting>\n");
        }
        x.append("<!-- Ponte: inside <addresses> -->\n");
        x.append("<address name=\"").append(Queues.EVENTS).append("\">\n  <multicast>\n    <queue name=\"")
                .append(Queues.SINK_COMMANDS).append("\"/>\n  </multicast>\n</address>\n");
        x.append("<address name=\"").append(Queues.DLQ).append("\">\n  <anycast>\n    <queue name=\"")
                .append(Queues.DLQ).append("\"/>\n  </anycast>\n</address>\n");
        return x.toString();
    }

    private static void element(StringBuilder x, String name, Object value) {
        x.append("  <").append(name).append('>').append(value).append("</").append(name).append(">\n");
    }
}
