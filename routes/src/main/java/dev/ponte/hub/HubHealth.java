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
import java.util.Map;
import java.util.function.Supplier;

/**
 * UP when the database answers, the broker accepts a connection, the data directory's disk has room, every route
 * runs and every connector instance's
 * system answers; DEGRADED when only connector systems are down (their work waits in durable queues); DOWN
 * otherwise. Each check says why.
 */
final class HubHealth {

    private final Database db;
    private final ConnectionFactory broker;
    private final Supplier<CamelContext> camel;
    private final Map<String, ConnectorInstance> connectors;
    private final Path dataDir;
    private final long minFreeBytes;

    HubHealth(Database db, ConnectionFactory broker, Supplier<CamelContext> camel,
              Map<String, ConnectorInstance> connectors, Path dataDir, long minFreeBytes) {
        this.db = db;
        this.broker = broker;
        this.camel = camel;
        this.connectors = connectors;
        this.dataDir = dataDir;
        this.minFreeBytes = minFreeBytes;
    }

    /** Free space of the data directory's disk, DOWN under {@code ponte.disk.min-free}. */
    private boolean disk(ObjectNode checks) {
        try {
            long free = Files.getFileStore(dataDir).getUsableSpace();
            if (free < minFreeBytes) {
                checks.put("disk", "DOWN: the data directory " + dataDir + " has " + megabytes(free) + " free, under "
                        + "ponte.disk.min-free (" + megabytes(minFreeBytes) + "); the database and the broker "
                        + "journal stop taking writes when it runs out: free space or move the data directory "
                        + "(work waits in the broker and resumes by itself)");
                return false;
            }
            checks.put("disk", "UP: " + megabytes(free) + " free in " + dataDir);
            return true;
        } catch (IOException e) {
            checks.put("disk", "DOWN: cannot read the free space of " + dataDir + ": " + e.getMessage());
            return false;
        }
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    ObjectNode check() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode checks = out.putObject("checks");
        boolean up = true;
        try {
            db.inTransaction(c -> c.createStatement().execute("select 1"));
            checks.put("database", "UP");
        } catch (RuntimeException e) {
            checks.put("database", "DOWN: " + e.getMessage());
            up = false;
        }
        try (Connection c = broker.createConnection()) {
            checks.put("broker", "UP");
        } catch (Exception e) {
            checks.put("broker", "DOWN: " + e.getMessage());
            up = false;
        }
        up &= disk(checks);
        CamelContext ctx = camel.get();
        if (ctx != null) {
            ObjectNode routes = checks.putObject("routes");
            for (Route r : ctx.getRoutes()) {
                String status = ctx.getRouteController().getRouteStatus(r.getRouteId()).name();
                routes.put(r.getRouteId(), status);
                if (!"Started".equals(status)) {
                    up = false;
                }
            }
        }
        boolean remotesUp = true;
        if (!connectors.isEmpty()) {
            ObjectNode remote = checks.putObject("connectors");
            for (Map.Entry<String, ConnectorInstance> c : connectors.entrySet()) {
                Health h = c.getValue().health();
                remote.put(c.getKey(), h.toString());
                remotesUp &= h.up();
            }
        }
        // a remote system that is down does not make the hub DOWN: its commands wait in their queue
        out.put("status", !up ? "DOWN" : remotesUp ? "UP" : "DEGRADED");
        return out;
    }
}
