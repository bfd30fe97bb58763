package dev.ponte.hub;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Health;
import dev.ponte.store.Database;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /health} answers within its bound while what it checks hangs: a database whose every connection is held (as
 * on a full disk, where each writer is stuck in its commit), a broker that accepts the connection and never answers,
 * a connector whose remote system does not reply.
 */
class HubHealthTest {

    private static final Duration BOUND = Duration.ofMillis(1000);
    /** The promise of the issue: /health answers within 2 s in every state. */
    private static final Duration PROMISE = Duration.ofSeconds(2);

    @TempDir
    Path dataDir;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void release() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    @Test
    void answersWithinItsBoundWhileTheDatabaseTheBrokerAndARemoteHang() throws Exception {
        Database db = Database.open(Database.embeddedUrl(dataDir), null, null);
        cleanup.add(db);
        List<Connection> held = holdEveryConnection(db);

        ServerSocket silentBroker = new ServerSocket(0); // accepts (the kernel's backlog) and never answers
        cleanup.add(silentBroker);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silentBroker.accept());
                }
            } catch (java.io.IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory("tcp://127.0.0.1:"
                + silentBroker.getLocalPort() + "?callTimeout=30000&connectionTTL=60000&reconnectAttempts=0");
        cleanup.add(broker);

        CountDownLatch remoteAnswers = new CountDownLatch(1);
        ConnectorInstance slowRemote = () -> {
            try {
                remoteAnswers.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Health.up("answered at last");
        };
        cleanup.add(remoteAnswers::countDown);

        HubHealth health = new HubHealth(db, broker, () -> null, Map.of("calendar", slowRemote), dataDir, 0, BOUND, Map::of, Map::of);

        for (int request = 1; request <= 3; request++) { // monitoring asks again and again: same bound every time
            long start = System.nanoTime();
            ObjectNode status = health.check();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(took).as("request %d: %s", request, status).isLessThan(PROMISE);
            assertThat(status.get("status").asText()).as(status.toString()).isEqualTo("DOWN");
            assertThat(status.at("/checks/database").asText())
                    .startsWith("DOWN: the database did not answer within 1000 ms")
                    .contains("full disk");
            assertThat(status.at("/checks/broker").asText()).startsWith("DOWN: the broker did not answer within");
            assertThat(status.at("/checks/disk").asText()).startsWith("UP");
            assertThat(status.at("/checks/connectors/calendar").asText())
                    .startsWith("UNKNOWN: connector calendar's system did not answer within 1000 ms");
        }
        // a hung probe is waited on again, never started again: the threads do not pile up
        assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ponte-health-"))
                .count()).isLessThanOrEqualTo(3);

        // the database and the remote answer again: so does health, without a restart
        for (Connection c : held) {
            c.close();
        }
        remoteAnswers.countDown();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ObjectNode status = health.check();
            assertThat(status.at("/checks/database").asText()).as(status.toString()).isEqualTo("UP");
            assertThat(status.at("/checks/connectors/calendar").asText()).isEqualTo("UP: answered at last");
        });
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void isUpWhenEverythingAnswersAndDegradedWhenOnlyARemoteIsDown() throws Exception {
        Database db = Database.open(Database.embeddedUrl(dataDir), null, null);
        cleanup.add(db);
        dev.ponte.broker.EmbeddedBroker embedded = new dev.ponte.broker.EmbeddedBroker(
                new dev.ponte.broker.BrokerSettings(dataDir.resolve("broker"), null, 3, 100, 2.0, 400));
        cleanup.add(embedded);
        ActiveMQConnectionFactory broker = new ActiveMQConnectionFactory(dev.ponte.broker.EmbeddedBroker.IN_VM_URL);
        cleanup.add(broker);
        ConnectorInstance down = () -> Health.down("503 from the remote");

        ObjectNode up = new HubHealth(db, broker, () -> null, Map.of(), dataDir, 0, BOUND, Map::of, Map::of).check();
        assertThat(up.get("status").asText()).as(up.toString()).isEqualTo("UP");
        ObjectNode degraded = new HubHealth(db, broker, () -> null, Map.of("calendar", down), dataDir, 0, BOUND, Map::of, Map::of)
                .check();
        assertThat(degraded.get("status").asText()).as(degraded.toString()).isEqualTo("DEGRADED");
        assertThat(degraded.at("/checks/connectors/calendar").asText()).isEqualTo("DOWN: 503 from the remote");
        ConnectorInstance expiring = () -> Health.degraded("certificate 'CLINICA' expires on 2026-12-20; renew it");
        ObjectNode warned = new HubHealth(db, broker, () -> null, Map.of("nfse", expiring), dataDir, 0, BOUND, Map::of, Map::of).check();
        assertThat(warned.get("status").asText()).as("a connector that works but needs an admin soon")
                .isEqualTo("DEGRADED");
        assertThat(warned.at("/checks/connectors/nfse").asText()).isEqualTo("DEGRADED: certificate 'CLINICA' "
                + "expires on 2026-12-20; renew it");
        ObjectNode refused = new HubHealth(db, broker, () -> null, Map.of(), dataDir, 0, BOUND,
                () -> Map.of("legacy", "change refused at 2026-12-03T10:00:00Z, 1 problem(s), ..."), Map::of).check();
        assertThat(refused.get("status").asText()).as("the previous mappings work, an admin must look")
                .isEqualTo("DEGRADED");
        assertThat(refused.at("/checks/mappings").asText()).startsWith("DEGRADED: legacy: change refused at");
        assertThat(up.at("/checks/mappings").asText()).isEqualTo("UP");
        ObjectNode alerted = new HubHealth(db, broker, () -> null, Map.of(), dataDir, 0, BOUND, Map::of,
                () -> Map.of("legacy-silent", "no import of legacy-clinic for 3 h 0 min")).check();
        assertThat(alerted.get("status").asText()).as("a business alert: the hub works, someone must look")
                .isEqualTo("DEGRADED");
        assertThat(alerted.at("/checks/alerts/legacy-silent").asText()).startsWith("no import of legacy-clinic");
        ObjectNode full = new HubHealth(db, broker, () -> null, Map.of(), dataDir, Long.MAX_VALUE, BOUND, Map::of, Map::of).check();
        assertThat(full.get("status").asText()).isEqualTo("DOWN");
        assertThat(full.at("/checks/disk").asText()).startsWith("DOWN: the data directory").contains("free space");
    }

    /** Takes every connection of the database's pool and keeps it, so the next caller waits. */
    private static List<Connection> holdEveryConnection(Database db) throws Exception {
        List<Connection> held = new ArrayList<>();
        org.h2.jdbcx.JdbcConnectionPool pool = (org.h2.jdbcx.JdbcConnectionPool) db.dataSource();
        for (int i = 0; i < pool.getMaxConnections(); i++) {
            held.add(pool.getConnection());
        }
        return held;
    }
}
