package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The hub's health as Camel health checks (group {@code ponte}), so Camel's tooling sees them, answered at
 * {@code /health/live} and {@code /health/ready} (README "Health"):
 * <ul>
 *   <li><b>liveness</b> ({@code ponte-live}): the process works (Camel is started and not stopping); a supervisor
 *   restarts the hub when it is DOWN;</li>
 *   <li><b>readiness</b> ({@code ponte-ready}): what {@code /health} checks (database, broker, disk, routes, each
 *   connector's system, mapping folders), bounded by {@code ponte.health.timeout}; UP also when DEGRADED (a remote
 *   system down: the hub works and its commands wait), DOWN when {@code /health} is DOWN.</li>
 * </ul>
 */
final class HubHealthChecks {

    private final Liveness live = new Liveness();
    private final Readiness ready;

    HubHealthChecks(Supplier<ObjectNode> health) {
        this.ready = new Readiness(health);
    }

    /** Registers both with the context's health-check registry. */
    void register(CamelContext camel) {
        live.setCamelContext(camel);
        ready.setCamelContext(camel);
        HealthCheckRegistry registry = HealthCheckRegistry.get(camel);
        if (registry != null) {
            registry.register(live);
            registry.register(ready);
        }
    }

    HealthCheck.Result liveness() {
        return live.call();
    }

    HealthCheck.Result readiness() {
        return ready.call();
    }

    private static final class Liveness extends AbstractHealthCheck {
        Liveness() {
            super("ponte", "ponte-live");
        }

        @Override
        public boolean isReadiness() {
            return false;
        }

        @Override
        public boolean isLiveness() {
            return true;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            CamelContext c = getCamelContext();
            boolean up = c != null && c.isStarted() && !c.isStopping();
            builder.detail("camel", c == null ? "not created" : c.getStatus().name());
            builder.state(up ? HealthCheck.State.UP : HealthCheck.State.DOWN);
        }
    }

    private static final class Readiness extends AbstractHealthCheck {
        private final Supplier<ObjectNode> health;

        Readiness(Supplier<ObjectNode> health) {
            super("ponte", "ponte-ready");
            this.health = health;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        public boolean isReadiness() {
            return true;
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            ObjectNode status = health.get();
            String state = status.path("status").asText("DOWN");
            builder.detail("status", state);
            status.path("checks").fields().forEachRemaining(e -> builder.detail(e.getKey(), e.getValue().isValueNode()
                    ? e.getValue().asText() : e.getValue().toString()));
            builder.state("DOWN".equals(state) ? HealthCheck.State.DOWN : HealthCheck.State.UP);
            if (!"UP".equals(state)) {
                builder.message("/health is " + state);
            }
        }
    }
}
