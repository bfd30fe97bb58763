package dev.ponte.demo;

import dev.ponte.hub.PonteHub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Waits until a running hub has nothing left to do for now: every file dropped in the inboxes taken and imported,
 * every event published, nothing in the embedded broker's queues (delivering or waiting for a redelivery), no
 * patient message due by the clock and none handed to a channel without an answer. Seen three times in a row, 100
 * ms apart, so that a message between two of these places is not missed.
 */
final class HubIdle {

    private static final int CALM_POLLS = 3;

    private HubIdle() {
    }

    /**
     * @throws IllegalStateException when the hub is still busy after {@code limit}, naming what it is busy with
     */
    static void await(PonteHub hub, Clock clock, List<Path> inboxes, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        int calm = 0;
        String busy = "";
        while (System.nanoTime() < deadline) {
            busy = busy(hub, clock, inboxes);
            calm = busy.isEmpty() ? calm + 1 : 0;
            if (calm >= CALM_POLLS) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the hub is still busy after " + limit.toSeconds() + " s: " + busy
                + "; see the log in the data directory");
    }

    /** What the hub is busy with, or "" when it is idle. */
    static String busy(PonteHub hub, Clock clock, List<Path> inboxes) {
        for (Path inbox : inboxes) {
            if (waitingFiles(inbox) > 0) {
                return "files waiting in " + inbox;
            }
        }
        long pending = hub.brokerPendingMessages();
        if (pending < 0) {
            throw new IllegalStateException("the demo needs the embedded broker (ponte.broker.url empty)");
        }
        if (pending > 0) {
            return pending + " message(s) in the broker's queues";
        }
        return hub.database().inTransaction(c -> {
            long rows = count(c, "select count(*) from import_file where rows_total is null or rows_done < rows_total",
                    null);
            if (rows > 0) {
                return rows + " file(s) still being imported";
            }
            long events = count(c, "select count(*) from event where published = false", null);
            if (events > 0) {
                return events + " event(s) not yet published";
            }
            long due = count(c, "select count(*) from message where (status = 'SCHEDULED' and due_at <= ?)"
                    + " or status = 'QUEUED'", Timestamp.from(clock.instant()));
            return due > 0 ? due + " patient message(s) due or on their way" : "";
        });
    }

    private static long waitingFiles(Path inbox) {
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(inbox)) {
            return s.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long count(Connection c, String sql, Timestamp at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (at != null) {
                ps.setTimestamp(1, at);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
