package dev.ponte.hub;

import dev.ponte.flows.SinkCommandsFlow;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The one order in which a hub stops (SIGTERM, Ctrl-C, {@link PonteHub#close}), so that a stop in the middle of an
 * import loses nothing and counts nothing as a failed delivery:
 * <ol>
 * <li>the connectors' source routes (inbox watchers, pollers, webhooks): nothing new is read;</li>
 * <li>the consumers of the broker's queues (inbound, the flows, sinks, dead-letter drain): the message in flight finishes and
 * its transaction commits; messages the client had prefetched go back to the queue on a clean close, without a
 * delivery attempt counted;</li>
 * <li>the event publisher and the replayer, after their current batch;</li>
 * <li>then (in {@link PonteHub#close}) the rest of Camel, the broker client, the broker, and the database last.</li>
 * </ol>
 * The routes get {@link #ROUTES} together; a route still busy after that (a database that stopped answering, a
 * remote that hangs) is stopped anyway and named in one warning: what it had not committed is done again on the next
 * start.
 */
final class OrderedStop {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedStop.class);

    /** The most a whole stop may take before the process exits anyway. */
    static final Duration LIMIT = Duration.ofSeconds(9);
    /** The time the routes get to finish their work in flight, leaving the rest of {@link #LIMIT} to the others. */
    static final Duration ROUTES = Duration.ofSeconds(6);

    /** The hub's timer routes ({@link HubRoutes}) that publish and replay, stopped after the consumers. */
    private static final Set<String> PUBLISHERS = Set.of("event-publisher", "dead-letter-replayer");
    // "event-publisher-timer" only asks the publisher to look: a source, stopped first
    /** Left to Camel's own stop, so {@code /health} and {@code /metrics} answer while the rest stops. */
    private static final Set<String> LAST = Set.of("health", "health-live", "health-ready", MetricsRoutes.ROUTE_ID);

    private volatile String current = "nothing";

    /** What the stop is doing now, for the warning of a stop that took too long. */
    String current() {
        return current;
    }

    void step(String what) {
        current = what;
    }

    /**
     * Stops the routes in the order above.
     *
     * @param inboundInstances the source instances, whose {@code <instance>-inbound} routes consume their queue
     */
    void routes(CamelContext camel, Set<String> inboundInstances) {
        long deadline = System.nanoTime() + ROUTES.toNanos();
        List<String> sources = new ArrayList<>();
        List<String> consumers = new ArrayList<>();
        List<String> publishers = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String id = route.getRouteId();
            if (PUBLISHERS.contains(id)) {
                publishers.add(id);
            } else if (isConsumer(id, inboundInstances)) {
                consumers.add(id);
            } else if (!LAST.contains(id)) {
                sources.add(id);
            }
        }
        List<String> cutShort = new ArrayList<>();
        step("source routes " + sources);
        stop(camel, sources, deadline, cutShort);
        step("queue consumers " + consumers);
        stop(camel, consumers, deadline, cutShort);
        step("publishers " + publishers);
        stop(camel, publishers, deadline, cutShort);
        if (!cutShort.isEmpty()) {
            LOG.warn("stop: {} still had work in flight after {} s and were stopped anyway; what they had not"
                    + " committed is done again on the next start (unacknowledged messages are redelivered, unpublished"
                    + " events published)", cutShort, ROUTES.toSeconds());
        }
    }

    private static boolean isConsumer(String id, Set<String> inboundInstances) {
        return id.equals("dead-letter-drain") || id.endsWith("-sink") || id.equals(SinkCommandsFlow.ROUTE_ID)
                || id.equals(dev.ponte.flows.ReminderFlow.ROUTE_ID) || id.equals(dev.ponte.flows.InvoiceFlow.ROUTE_ID)
                || id.equals(dev.ponte.flows.ClinicFlow.ROUTE_ID)
                || (id.endsWith("-inbound") && inboundInstances.contains(id.substring(0, id.length() - 8)));
    }

    private static void stop(CamelContext camel, List<String> ids, long deadline, List<String> cutShort) {
        for (String id : ids) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                camel.getRouteController().stopRoute(id, left, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                LOG.warn("stop: route {} did not stop cleanly: {}", id, e.getMessage());
            }
            if (camel.getInflightRepository().size(id) > 0) {
                cutShort.add(id);
            }
        }
    }
}
