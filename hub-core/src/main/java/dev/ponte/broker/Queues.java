package dev.ponte.broker;

/** Names of the hub's addresses and the Camel endpoints that use them. One place, so nobody spells them twice. */
public final class Queues {

    /** Where the broker moves a message after its last delivery attempt. */
    public static final String DLQ = "ponte.dlq";
    /** Multicast address of canonical events (structured CloudEvents JSON); MQTT topic {@code ponte/events}. */
    public static final String EVENTS = "ponte.events";
    /**
     * The durable subscription of the flow {@code sink-commands} (routes' {@code dev.ponte.flows.SinkCommandsFlow}):
     * a multicast queue bound to {@link #EVENTS}.
     */
    public static final String SINK_COMMANDS = "ponte.flow.sink-commands";
    /** The durable subscription of the flow {@code reminders} (routes' {@code dev.ponte.flows.ReminderFlow}). */
    public static final String REMINDERS = "ponte.flow.reminders";
    /** The durable subscription of the flow {@code invoices} (routes' {@code dev.ponte.flows.InvoiceFlow}). */
    public static final String INVOICES = "ponte.flow.invoices";
    /**
     * The durable subscription of the clinic flows (routes' {@code dev.ponte.flows.ClinicFlow}: booking checks,
     * package sessions, billing), always on like {@link #SINK_COMMANDS}.
     */
    public static final String CLINIC = "ponte.flow.clinic";
    private static final String IN = "ponte.in.";
    private static final String OUT = "ponte.out.";

    private Queues() {
    }

    /** The queue a source instance feeds: {@code ponte.in.<instance>}. */
    public static String inbound(String instance) {
        return IN + instance;
    }

    /** The queue of commands for a sink instance: {@code ponte.out.<instance>}. */
    public static String outbound(String instance) {
        return OUT + instance;
    }

    /** The fully qualified name of a queue bound to an address, {@code <address>::<queue>} (Artemis FQQN). */
    public static String subscription(String address, String queue) {
        return address + "::" + queue;
    }

    /** The instance a {@code ponte.in.*} or {@code ponte.out.*} address belongs to; the address itself otherwise. */
    public static String instanceOf(String address) {
        if (address.startsWith(IN)) {
            return address.substring(IN.length());
        }
        return address.startsWith(OUT) ? address.substring(OUT.length()) : address;
    }

    /** The Camel JMS endpoint producing to a queue. */
    public static String jms(String queue) {
        return "jms:queue:" + queue;
    }

    /**
     * The Camel JMS endpoint of a transacted, ordered consumer of a queue (one consumer: per-instance ordering). A
     * failed message is rolled back for the broker to redeliver; the route logs why in one line, so the listener
     * container's own report of the rollback is kept to one line too (no stack trace per retry).
     */
    public static String transactedConsumer(String queue) {
        // acceptMessagesWhileStopping: a message the listener receives while the hub stops is processed and
        // committed; otherwise Spring's container rejects it, a rollback the broker counts as a failed attempt
        return "jms:queue:" + queue + "?transacted=true&concurrentConsumers=1&cacheLevelName=CACHE_CONSUMER"
                + "&errorHandlerLogStackTrace=false&acceptMessagesWhileStopping=true";
    }
}
