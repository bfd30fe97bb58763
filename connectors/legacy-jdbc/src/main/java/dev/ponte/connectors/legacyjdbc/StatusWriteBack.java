package dev.ponte.connectors.legacyjdbc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorStateStore;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;
import dev.ponte.spi.Sink;
import dev.ponte.spi.SourceMapping;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The optional sink of legacy-jdbc: an appointment's new status written back to the legacy database with the
 * configured {@code status-update} statement (a {@link PreparedStatement}, values bound, never concatenated).
 *
 * <ul>
 *   <li>only {@code appointment.status-changed} commands write: any other change of the record left its status as
 *       the legacy system has it. Changes that came from this instance never reach it (the hub sends no echo);</li>
 *   <li>an appointment that did not come from this instance's system is a delivery that updates nothing and says
 *       so;</li>
 *   <li>the status this instance last wrote for an appointment, with the change that caused it, is kept in the
 *       connector state: the same change delivered again (after a crash between the update and the hub's commit) is
 *       not written twice;</li>
 *   <li>an UPDATE that changes no row is a {@link PermanentDeliveryException} naming the appointment and the legacy
 *       id; a lost or refused connection, a lock or serialization failure is retried
 *       ({@link RetriableDeliveryException}); any other refusal of the database is permanent.</li>
 * </ul>
 * Logs and messages name ids and status values only, never the record's personal fields.
 */
final class StatusWriteBack implements Sink {

    static final String STATUS_CHANGED = "appointment.status-changed";

    private final ConnectorContext ctx;
    private final ConnectorConfig config;
    private final StatusUpdate update;
    private final Map<String, String> values;
    private final LegacyKeys keys;

    StatusWriteBack(ConnectorContext ctx, LegacyKeys keys) {
        this.ctx = ctx;
        this.config = ctx.config();
        this.update = StatusUpdate.parse(config.string("status-update"));
        this.values = StatusValues.parse(config.list("status-values"));
        this.keys = keys;
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        if (!"Appointment".equals(command.entity())) {
            throw new PermanentDeliveryException(config.instance() + " writes back appointment statuses only, not "
                    + command.entity() + " " + command.canonicalId());
        }
        String appointment = "appointment " + command.canonicalId();
        if (!STATUS_CHANGED.equals(command.eventType())) {
            return new Delivery(null, "status unchanged (" + command.eventType() + "): nothing written");
        }
        Set<String> systems = systems();
        String legacyId = keys.keyOf(command, systems);
        if (legacyId == null) {
            return new Delivery(null, appointment + " did not come from " + String.join(", ", systems)
                    + " (the command names no id of it there): nothing to update");
        }
        String status = command.text("status");
        String legacyStatus = status == null ? null : values.get(status);
        if (legacyStatus == null) {
            throw new PermanentDeliveryException(appointment + " (legacy id " + legacyId + "): status " + status
                    + " has no legacy value in " + config.fullKey("status-values") + "; add it (" + status
                    + "=<value>), then replay");
        }
        String stateKey = "status:" + command.canonicalId();
        Optional<ConnectorStateStore.Versioned> last = ctx.state().get(stateKey);
        String written = legacyStatus + "|" + command.causationId();
        if (last.isPresent() && last.get().value().equals(written)) {
            return new Delivery(legacyId, "status " + legacyStatus + " already written for this change");
        }
        ObjectNode bound = Json.MAPPER.createObjectNode();
        for (String p : update.parameters()) {
            switch (p) {
                case StatusUpdate.STATUS -> bound.put(p, legacyStatus);
                case StatusUpdate.ID -> bound.put(p, legacyId);
                default -> bound.put(p, updatedAt(command).toString());
            }
        }
        if (config.sandbox()) {
            ctx.sandbox().record(config.instance(), command.businessKey(), "UPDATE", update.sql(), Map.of(),
                    bound.toString());
        } else {
            int rows = execute(command, legacyId, legacyStatus);
            if (rows == 0) {
                throw new PermanentDeliveryException(appointment + ": the legacy database has no row with id "
                        + legacyId + " (" + config.fullKey("status-update") + " changed 0 rows); check the WHERE "
                        + "clause and whether the appointment was deleted there, then replay or discard");
            }
        }
        remember(stateKey, written, last);
        return new Delivery(legacyId, "status " + legacyStatus + " written to legacy id " + legacyId
                + (config.sandbox() ? " (sandbox: recorded, not sent)" : ""));
    }

    private int execute(OutboundCommand command, String legacyId, String legacyStatus) throws Exception {
        String what = "appointment " + command.canonicalId() + " (legacy id " + legacyId + ")";
        try (Connection c = DriverManager.getConnection(config.string("url"), config.string("user"),
                config.string("password"));
             PreparedStatement ps = c.prepareStatement(update.sql())) {
            int i = 1;
            for (String p : update.parameters()) {
                switch (p) {
                    case StatusUpdate.STATUS -> ps.setString(i, legacyStatus);
                    case StatusUpdate.ID -> ps.setString(i, legacyId);
                    default -> ps.setTimestamp(i, Timestamp.from(updatedAt(command)));
                }
                i++;
            }
            if (!c.getAutoCommit()) {
                int rows = ps.executeUpdate();
                c.commit();
                return rows;
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "no SQLState" : e.getSQLState();
            if (transientFailure(e)) {
                throw new RetriableDeliveryException("writing the status of " + what + " to the legacy database "
                        + "failed for now (" + state + ": " + e.getMessage() + "); retried. If it lasts, check "
                        + config.fullKey("url") + " and that the database is up", e);
            }
            throw new PermanentDeliveryException("the legacy database refused the status update of " + what + " ("
                    + state + ": " + e.getMessage() + "); check " + config.fullKey("status-update")
                    + " against the table, then replay", e);
        }
    }

    /**
     * A failure that can pass: a connection lost or refused (SQLState class 08, or an I/O error underneath), a
     * transaction rolled back by the database (class 40: deadlock, serialization), a timeout (HYT00, HYT01), the
     * database shutting down or out of resources (57, 53), credentials refused (28: fixed by the admin, then the
     * retries pass).
     */
    static boolean transientFailure(SQLException e) {
        if (e instanceof SQLTransientException || e instanceof SQLRecoverableException) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String s = sql.getSQLState();
                if (s.startsWith("08") || s.startsWith("40") || s.startsWith("HYT") || s.startsWith("57")
                        || s.startsWith("53") || s.startsWith("28") || s.equals("90067")) { // 90067: H2, broken
                    return true;
                }
            }
        }
        return false;
    }

    private Instant updatedAt(OutboundCommand command) {
        return command.time() == null ? ctx.clock().instant() : command.time();
    }

    private Set<String> systems() {
        return ctx.mappings() == null ? Set.of() : ctx.mappings().inReferenceOrder().stream()
                .map(SourceMapping::system).collect(Collectors.toCollection(java.util.TreeSet::new));
    }

    private void remember(String key, String value, Optional<ConnectorStateStore.Versioned> read) {
        long version = read.map(ConnectorStateStore.Versioned::version).orElse(ConnectorStateStore.ABSENT);
        while (!ctx.state().put(key, value, version)) {
            // one command at a time per instance: only a second hub on the same store writes in between
            version = ctx.state().get(key).map(ConnectorStateStore.Versioned::version)
                    .orElse(ConnectorStateStore.ABSENT);
        }
    }
}
