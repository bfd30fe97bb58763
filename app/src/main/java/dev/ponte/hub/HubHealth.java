package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.store.Database;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.function.Supplier;

/**
 * UP when the database answers, the broker accepts a connection, the data directory's disk has room, every route
 * runs and every connector instance's system answers; DEGRADED when only connector systems are down or silent (their
 * work waits in durable queues); DOWN otherwise. Each check says why.
 * <p>
 * Every check runs on its own thread with the same time bound ({@code ponte.health.timeout}), all at once, so
 * {@code /health} answers within about that bound in every state: a check that does not answer in time is DOWN (the
 * database, the broker, the disk: the hub cannot work without them) or UNKNOWN (a connector's remote system), with
 * the reason.
 */
final class HubHealth {

    private final Duration bound;
    private final Supplier<CamelContext> camel;
    private final BoundedCheck database;
    private final BoundedCheck brokerCheck;
    private final BoundedCheck diskCheck;
    private final Map<String, ConnectorInstance> connectors;
    private final Map<String, BoundedCheck> connectorChecks = new LinkedHashMap<>();
    private final BoundedCheck mappingsCheck;

    HubHealth(Database db, ConnectionFactory broker, Supplier<CamelContext> camel,
              Map<String, ConnectorInstance> connectors, Path dataDir, long minFreeBytes, Duration bound,
              Supplier<Map<String, String>> mappingRefusals, Supplier<Map<String, String>> alerts) {
        this.bound = bound;
        this.alerts = alerts;
        // looking at the mapping folders may reload them (examples run, history written): bounded like the rest
        this.mappingsCheck = new BoundedCheck("the mapping folders", "UNKNOWN", "a mapping folder is being reloaded "
                + "or its disk does not answer", () -> {
            Map<String, String> refused = mappingRefusals.get();
            return refused.isEmpty() ? BoundedCheck.Result.up("") : BoundedCheck.Result.degraded(refused.entrySet()
                    .stream().map(e -> e.getKey() + ": " + e.getValue()).collect(java.util.stream.Collectors
                            .joining("; ")));
        });
        this.camel = camel;
        this.database = new BoundedCheck("the database", "DOWN", "it may be blocked on a full disk, held by a long "
                + "transaction or unreachable (an external database); see the hub's log", () -> {
            db.read(c -> c.createStatement().execute("select 1"));
            return BoundedCheck.Result.up("");
        });
        this.brokerCheck = new BoundedCheck("the broker", "DOWN", "it may be blocked on a full disk or unreachable"
                + " (an external broker); see the hub's log", () -> {
            try (Connection c = broker.createConnection()) {
                return BoundedCheck.Result.up("");
            }
        });
        this.diskCheck = new BoundedCheck("the data directory's disk", "DOWN", "the file system does not answer",
                () -> disk(dataDir, minFreeBytes));
        // connectors are opened after the hub's health is built: their checks are made when first asked
        this.connectors = connectors;
    }

    /** Free space of the data directory's disk, DOWN under {@code ponte.disk.min-free}. */
    private static BoundedCheck.Result disk(Path dataDir, long minFreeBytes) {
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < minFreeBytes) {
                return BoundedCheck.Result.down("the data directory " + dataDir + " has " + megabytes(free)
                        + " free, under ponte.disk.min-free (" + megabytes(minFreeBytes) + "); the database and the"
                        + " broker journal stop taking writes when it runs out: free space or move the data directory"
                        + " (work waits in the broker and resumes by itself)");
            }
            return BoundedCheck.Result.up(megabytes(free) + " free in " + dataDir);
        } catch (IOException e) {
            return BoundedCheck.Result.down("cannot read the free space of " + dataDir + ": " + e.getMessage());
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    private synchronized BoundedCheck connectorCheck(String instance, ConnectorInstance connector) {
        return connectorChecks.computeIfAbsent(instance, name -> new BoundedCheck("connector " + name + "'s system",
                "UNKNOWN", "the system behind it may be hanging; its work waits in ponte.out." + name, () -> {
            Health h = connector.health();
            return h.degraded() ? BoundedCheck.Result.degraded(h.detail())
                    : h.up() ? BoundedCheck.Result.up(h.detail()) : BoundedCheck.Result.down(h.detail());
        }));
    }

    private boolean put(ObjectNode checks, String name, BoundedCheck check,
                        CompletableFuture<BoundedCheck.Result> probe, long deadline) {
        BoundedCheck.Result r = check.await(probe, deadline, bound);
        checks.put(name, r.text());
        return r.isUp();
    }

    /** The business alerts holding now, by name ({@link BusinessAlerts}). */
    private final Supplier<Map<String, String>> alerts;

    ObjectNode check() {
        long deadline = System.nanoTime() + bound.toNanos();
        // start every probe first: they run side by side, so the answer takes one bound, not one per check
        CompletableFuture<BoundedCheck.Result> db = database.start();
        CompletableFuture<BoundedCheck.Result> mq = brokerCheck.start();
        CompletableFuture<BoundedCheck.Result> disk = diskCheck.start();
        CompletableFuture<BoundedCheck.Result> mappingFolders = mappingsCheck.start();
        Map<String, BoundedCheck> remoteChecks = new LinkedHashMap<>();
        Map<String, CompletableFuture<BoundedCheck.Result>> remote = new LinkedHashMap<>();
        for (Map.Entry<String, ConnectorInstance> c : connectors.entrySet()) {
            BoundedCheck check = connectorCheck(c.getKey(), c.getValue());
            remoteChecks.put(c.getKey(), check);
            remote.put(c.getKey(), check.start());
        }

        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode checks = out.putObject("checks");
        boolean up = put(checks, "database", database, db, deadline);
        up &= put(checks, "broker", brokerCheck, mq, deadline);
        up &= put(checks, "disk", diskCheck, disk, deadline);
        CamelContext ctx = camel.get();
        if (ctx != null) {
            ObjectNode routes = checks.putObject("routes");
            for (Route r : ctx.getRoutes()) {
                String status = String.valueOf(ctx.getRouteController().getRouteStatus(r.getRouteId()));
                if (!"Started".equals(status) && standby(r)) {
                    // single-run work that another hub holds the lease of (several hubs): as it should be
                    routes.put(r.getRouteId(), "Standby (runs on the hub holding the lease)");
                    continue;
                }
                routes.put(r.getRouteId(), status);
                if (!"Started".equals(status)) {
                    up = false;
                }
            }
        }
        boolean remotesUp = true;
        if (!remote.isEmpty()) {
            ObjectNode node = checks.putObject("connectors");
            for (Map.Entry<String, CompletableFuture<BoundedCheck.Result>> c : remote.entrySet()) {
                BoundedCheck.Result r = remoteChecks.get(c.getKey()).await(c.getValue(), deadline, bound);
                node.put(c.getKey(), r.state() + ": " + r.detail());
                remotesUp &= r.isUp() && !r.isDegraded();
            }
        }
        // a refused mapping change leaves the previous mappings in force: the hub works, someone must look
        BoundedCheck.Result mappingsResult = mappingsCheck.await(mappingFolders, deadline, bound);
        checks.put("mappings", mappingsResult.text());
        if (!mappingsResult.isUp() || mappingsResult.isDegraded()) {
            remotesUp = false;
        }
        // a business alert that holds: the hub works, and names what someone must look at
        Map<String, String> raised = alerts.get();
        if (!raised.isEmpty()) {
            ObjectNode node = checks.putObject("alerts");
            raised.forEach(node::put);
            remotesUp = false;
        }
        // a remote system that is down (or degraded: a certificate about to expire) does not make the hub DOWN: its
        // commands wait in their queue
        out.put("status", !up ? "DOWN" : remotesUp ? "UP" : "DEGRADED");
        return out;
    }

    /** Whether a route waits for this hub to lead its single-run work ({@link SingletonWork}) and it does not. */
    static boolean standby(Route r) {
        return r.getRoutePolicyList().stream().anyMatch(p -> p instanceof
                org.apache.camel.impl.cluster.ClusteredRoutePolicy c && !c.isLeader());
    }
}
