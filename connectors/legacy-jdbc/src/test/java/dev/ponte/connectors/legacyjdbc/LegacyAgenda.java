package dev.ponte.connectors.legacyjdbc;

import dev.ponte.json.Json;
import dev.ponte.testkit.RemoteRequest;
import org.h2.api.Trigger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The legacy {@code agenda} table of the tests, in a real H2 database, and what the database saw of the write-back:
 * an H2 trigger (it runs in the database, in this JVM) records every row update attempted, and fails the first
 * {@link #failNext} of them as a serialization failure (SQLState 40001) would.
 */
public final class LegacyAgenda implements Trigger {

    /** The status update the tests configure. */
    static final String STATUS_UPDATE = "UPDATE agenda SET situacao = :status WHERE cod_agenda = :id";
    /** The same, as the prepared statement the connector sends. */
    static final String PREPARED = "UPDATE agenda SET situacao = ? WHERE cod_agenda = ?";

    static final AtomicInteger failNext = new AtomicInteger();
    static final AtomicInteger updated = new AtomicInteger();
    static final List<RemoteRequest> seen = java.util.Collections.synchronizedList(new ArrayList<>());

    static void reset() {
        failNext.set(0);
        updated.set(0);
        seen.clear();
    }

    /** Creates the table with one appointment row per id, status AG, and the trigger. */
    static void create(Connection c, String... ids) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("create table if not exists agenda (cod_agenda varchar(20) primary key, situacao varchar(2) not "
                    + "null, atualizado_em timestamp)");
            s.execute("create trigger if not exists agenda_seen before update on agenda for each row call \""
                    + LegacyAgenda.class.getName() + "\"");
            for (String id : ids) {
                s.execute("insert into agenda (cod_agenda, situacao) values ('" + id + "', 'AG')");
            }
        }
    }

    static String status(Connection c, String id) throws SQLException {
        try (var ps = c.prepareStatement("select situacao from agenda where cod_agenda = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        String body = Json.MAPPER.createObjectNode().put("status", String.valueOf(newRow[1]))
                .put("id", String.valueOf(newRow[0])).toString();
        seen.add(new RemoteRequest("UPDATE", PREPARED, body));
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new SQLException("could not serialize access (simulated by the test's trigger)", "40001");
        }
        updated.incrementAndGet();
    }
}
