package dev.ponte.hub;

import dev.ponte.store.ClusterLeases;
import dev.ponte.store.Database;
import dev.ponte.testsupport.TestStores;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lease's leadership against a real database (both engines): a hub alone leads at once; a second member waits;
 * a leader whose renewal hangs (the lease row locked by someone else: a stuck database) steps down before its lease
 * expires, without waiting for the renewal to return; and leads again once the database answers; a stop releases the
 * lease so the other leads at once.
 */
@Tag("store")
class LeaseClusterServiceTest {

    private static final Duration LEASE = Duration.ofMillis(1_500);
    private static final String NS = "test-work";

    @TempDir
    Path dir;
    private Database db;
    private final List<DefaultCamelContext> contexts = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        contexts.forEach(DefaultCamelContext::stop);
        if (db != null) {
            db.close();
        }
    }

    private CamelClusterView view(String member, List<String> events) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        LeaseClusterService service = new LeaseClusterService(db, member, LEASE, Clock.systemUTC());
        camel.addService(service);
        camel.start();
        contexts.add(camel);
        CamelClusterView v = service.getView(NS);
        v.addEventListener((CamelClusterEventListener.Leadership) (view, leader) ->
                events.add(leader == null ? "none" : leader.isLocal() ? "leader" : "follower of " + leader.getId()));
        v.start();
        return v;
    }

    @Test
    void aStuckRenewalStepsDownBeforeTheLeaseExpiresAndAStopHandsOver() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir) + ";LOCK_TIMEOUT=60000", Database::open);
        List<String> aEvents = new CopyOnWriteArrayList<>();
        CamelClusterView a = view("a", aEvents);
        await("a alone leads").atMost(Duration.ofSeconds(5)).until(() -> a.getLocalMember().isLeader());
        CamelClusterView b = view("b", new CopyOnWriteArrayList<>());
        await("b sees a lead").atMost(Duration.ofSeconds(5)).until(() -> b.getLeader()
                .map(m -> m.getId().equals("a")).orElse(false));
        assertThat(b.getLocalMember().isLeader()).isFalse();

        // the database stops answering a's renewals: the lease row stays locked by another transaction
        Instant steppedDown;
        Instant expiresAt;
        try (Connection stuck = db.dataSource().getConnection()) {
            stuck.setAutoCommit(false);
            try (PreparedStatement ps = stuck.prepareStatement("select expires_at from cluster_lease where name = ?"
                    + " for update")) {
                ps.setString(1, NS);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    expiresAt = rs.getTimestamp(1).toInstant();
                }
            }
            await("a steps down while its renewal hangs").atMost(LEASE.multipliedBy(2))
                    .pollInterval(Duration.ofMillis(20)).until(() -> !a.getLocalMember().isLeader());
            steppedDown = Instant.now();
            assertThat(b.getLocalMember().isLeader()).as("b cannot take it either: the row is locked").isFalse();
            stuck.rollback();
        }
        assertThat(steppedDown).as("stepped down before the lease it held ran out").isBefore(expiresAt);

        // the database answers again: whichever looks first after the expiry leads, and only one
        await("one of them leads again").atMost(LEASE.multipliedBy(3)).until(() ->
                a.getLocalMember().isLeader() ^ b.getLocalMember().isLeader());
        CamelClusterView leader = a.getLocalMember().isLeader() ? a : b;
        CamelClusterView other = leader == a ? b : a;
        leader.getClusterService().stop(); // a graceful stop releases the lease
        await("the other leads at once, well before the lease would have expired").atMost(LEASE)
                .until(() -> other.getLocalMember().isLeader());
        assertThat(aEvents).startsWith("leader");
        java.util.Optional<ClusterLeases.Lease> lease = db.read(c -> ClusterLeases.read(c, NS));
        assertThat(lease.map(ClusterLeases.Lease::holder)).contains(other.getLocalMember().getId());
    }
}
