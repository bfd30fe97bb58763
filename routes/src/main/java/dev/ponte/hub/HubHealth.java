package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.store.Database;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

import java.util.function.Supplier;

/** UP when the database answers, the broker accepts a connection and every route runs; DOWN otherwise, with why. */
final class HubHealth {

    private final Database db;
    private final ConnectionFactory broker;
    private final Supplier<CamelContext> camel;

    HubHealth(Database db, ConnectionFactory broker, Supplier<CamelContext> camel) {
        this.db = db;
        this.broker = broker;
        this.camel = camel;
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
        out.put("status", up ? "UP" : "DOWN");
        return out;
    }
}
