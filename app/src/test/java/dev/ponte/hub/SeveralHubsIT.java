package dev.ponte.hub;

import dev.ponte.broker.BrokerAddressSettings;
import dev.ponte.store.ClusterLeases;
import dev.ponte.store.Database;
import dev.ponte.testsupport.ExternalArtemis;
import dev.ponte.testsupport.TestStores;
import dev.ponte.tools.LegacyExportGenerator;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.ponte.hub.HubTestSupport.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hubs on one PostgreSQL schema and one external Artemis (from the distribution), sharing an inbox folder: the
 * single-run work (the inbox, the event publisher, the other timers) runs on the holder of the lease only, every row
 * is taken in once and every event published once, and when the holder stops the other takes the work over. Runs in
 * the PostgreSQL execution (tag store); on H2, where one process holds the database, it is skipped, saying so.
 */
@Tag("store")
class SeveralHubsIT {

    private static final String LEASE_MS = "2000";

    @TempDir
    Path tmp;
    private ExternalArtemis broker;
    private PonteHub first;
    private PonteHub second;

    @BeforeEach
    void onPostgresOnly() {
        Assumptions.assumeTrue(TestStores.onPostgres(), "several hubs share a PostgreSQL database: this test runs in"
                + " the PostgreSQL execution (-Dponte.test.store=postgresql)");
    }

    @AfterEach
    void stop() {
        for (PonteHub h : new PonteHub[]{first, second}) {
            if (h != null) {
                h.close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A hub of the pair: its own data directory, the shared schema, broker and inbox. */
    private PonteHub hub(String name, String dbProperties, Path inbox) throws Exception {
        Path dataDir = tmp.resolve(name);
        Files.createDirectories(dataDir);
        Files.writeString(dataDir.resolve("ponte.properties"), dbProperties);
        return PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.url", broker.url(),
                "ponte.broker.user", ExternalArtemis.user(), "ponte.broker.password", ExternalArtemis.password(),
                "ponte.cluster.lease", LEASE_MS, "ponte.cluster.member", name,
                "ponte.connectors.legacy.inbox", inbox.toString()))).start(true);
    }

    private static int get(PonteHub hub, String path) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:"
                        + hub.settings().get("ponte.http.port") + path)).timeout(Duration.ofSeconds(10)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    private static boolean runsInbox(PonteHub hub) {
        return hub.camel().getRouteController().getRouteStatus("legacy-inbox") == ServiceStatus.Started;
    }

    private static boolean runsPublisher(PonteHub hub) {
        return hub.camel().getRouteController().getRouteStatus("event-publisher") == ServiceStatus.Started;
    }

    @Test
    void oneHubRunsTheScheduledWorkBothTakeInAndTheOtherTakesOverWhenItStops() throws Exception {
        Path seed = tmp.resolve("seed");
        HubTestSupport.useTestStore(seed);
        String dbProperties = Files.readString(seed.resolve("ponte.properties"));
        HubSettings plain = HubTestSupport.settings(seed, Map.of());
        broker = ExternalArtemis.create(tmp.resolve("broker"), BrokerAddressSettings.brokerXml(plain.brokerSettings()))
                .start();
        Path inbox = tmp.resolve("shared-inbox");
        Files.createDirectories(inbox);

        first = hub("hub-a", dbProperties, inbox);
        second = hub("hub-b", dbProperties, inbox);
        Database db = first.database();
        await("one of the two hubs runs the inbox and the publisher").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    assertThat(runsInbox(first) ^ runsInbox(second)).as("exactly one runs legacy-inbox (a %s, b %s)",
                            runsInbox(first), runsInbox(second)).isTrue();
                    assertThat(runsPublisher(first)).isEqualTo(runsInbox(first));
                    assertThat(runsPublisher(second)).isEqualTo(runsInbox(second));
                });
        // the admin API, health and metrics answer on every hub, the one without the scheduled work included
        for (PonteHub h : new PonteHub[]{first, second}) {
            for (String path : new String[]{"/health/ready", "/api/openapi.json", "/metrics"}) {
                assertThat(get(h, path)).as("GET %s on %s", path, h.settings().get("ponte.cluster.member"))
                        .isEqualTo(200);
            }
        }
        PonteHub leader = runsInbox(first) ? first : second;
        PonteHub follower = leader == first ? second : first;
        assertThat(holder(db)).isEqualTo(leader == first ? "hub-a" : "hub-b");

        Path export = tmp.resolve("export");
        LegacyExportGenerator.generate(export, 200, 2_000, 0, 7);
        try (Stream<Path> files = Files.list(export)) {
            HubTestSupport.drop(inbox, files.toArray(Path[]::new));
        }
        awaitEveryRowOnce(db, 2_000, leader, follower);
        assertThat(done(db)).as("import files read to the end").isPositive();

        // the leader stops (as on a SIGTERM): it releases the lease, the other takes the inbox over
        leader.close();
        if (leader == first) {
            first = null;
        } else {
            second = null;
        }
        await("the other hub takes the scheduled work over").atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(runsInbox(follower) && runsPublisher(follower))
                        .as("inbox and publisher on the remaining hub").isTrue());
        assertThat(holder(follower.database())).isEqualTo(follower == first ? "hub-a" : "hub-b");
        // the same export again, through the remaining hub's inbox: every file read, nothing taken in twice
        long filesDone = done(follower.database());
        Path again = tmp.resolve("again");
        LegacyExportGenerator.generate(again, 200, 2_000, 0, 7);
        try (Stream<Path> files = Files.list(again)) {
            HubTestSupport.drop(inbox, files.toArray(Path[]::new));
        }
        await("the export read again by the remaining hub").atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> assertThat(done(follower.database()))
                        .as(() -> "files read to the end; " + Waits.hubState(follower)).isEqualTo(2 * filesDone));
        awaitEveryRowOnce(follower.database(), 2_000, follower, follower);
    }

    private static String holder(Database db) {
        Optional<ClusterLeases.Lease> lease = db.read(c -> ClusterLeases.read(c, SingletonWork.NAMESPACE));
        // the configured name, without the process id and token the hub adds (PonteHub.clusterMember)
        return lease.map(l -> l.holder().substring(0, l.holder().indexOf('#'))).orElse(null);
    }

    /** Import files taken in to their last row. */
    private static long done(Database db) {
        return count(db, "select count(*) from import_file where rows_total is not null and rows_done = rows_total");
    }

    private static void awaitEveryRowOnce(Database db, long appointments, PonteHub a, PonteHub b) {
        await("every appointment stored once and its event published once").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    assertThat(count(db, "select count(*) from canonical_record where entity_type = 'Appointment'"))
                            .as(() -> "appointments; " + Waits.hubState(a) + "; " + Waits.hubState(b))
                            .isEqualTo(appointments);
                    assertThat(count(db, "select count(*) from event where published = false"))
                            .as(() -> "unpublished events; " + Waits.hubState(a)).isZero();
                });
        assertThat(count(db, "select count(*) from event where type like 'appointment.%'"))
                .as("one event per appointment").isEqualTo(appointments);
        assertThat(count(db, "select count(*) from (select dedupe_key from event group by dedupe_key"
                + " having count(*) > 1) d")).as("duplicate events").isZero();
        assertThat(count(db, "select count(*) from dead_letter")).as("dead letters").isZero();
    }

}
