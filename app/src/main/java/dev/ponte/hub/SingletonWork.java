package dev.ponte.hub;

import org.apache.camel.CamelContext;
import org.apache.camel.NamedNode;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;

import java.util.Locale;
import java.util.Set;

/**
 * Which routes run on one hub at a time when several share a database and a broker: work that starts by itself
 * (a timer, a scheduler, a watched folder, a polled mailbox: inbox watching, JDBC polling, the calendar sync, the
 * message scheduler, reconciliation, alerts, dead-letter replay, event retention) and the event publisher (two
 * publishers would send each event twice). Work that arrives (a message on a queue, an HTTP request: the inbound
 * queues, the flows, sinks, webhooks, the admin API, health) runs on every hub. The first get Camel's
 * {@link ClusteredRoutePolicy} in the namespace {@link #NAMESPACE}: they start on the hub holding its lease
 * ({@link LeaseClusterService}) and move to another when it dies.
 */
final class SingletonWork implements RoutePolicyFactory {

    /** The one namespace (and lease name) of the hub's single-run work. */
    static final String NAMESPACE = "ponte-scheduled-work";

    private static final Set<String> SELF_STARTING = Set.of("timer", "scheduler", "quartz", "cron", "file", "ftp",
            "ftps", "sftp", "imap", "imaps", "pop3", "pop3s");
    private static final Set<String> SINGLE_ROUTES = Set.of("event-publisher");

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        if (!(route instanceof RouteDefinition definition) || definition.getInput() == null
                || !isSingleton(routeId, definition.getInput().getEndpointUri())) {
            return null;
        }
        try {
            return ClusteredRoutePolicy.forNamespace(camelContext, NAMESPACE);
        } catch (Exception e) {
            throw new IllegalStateException("route " + routeId + ": no cluster service for " + NAMESPACE, e);
        }
    }

    /** Whether a route with this id and input runs on one hub at a time. */
    static boolean isSingleton(String routeId, String inputUri) {
        if (SINGLE_ROUTES.contains(routeId)) {
            return true;
        }
        int colon = inputUri == null ? -1 : inputUri.indexOf(':');
        return colon > 0 && SELF_STARTING.contains(inputUri.substring(0, colon).toLowerCase(Locale.ROOT));
    }
}
