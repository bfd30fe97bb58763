package dev.ponte.hub;

import dev.ponte.store.ClusterLeases;
import dev.ponte.store.Database;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Camel's cluster service on a lease row of the hub's database ({@link ClusterLeases}): in each namespace one hub
 * is the leader, and Camel's {@code ClusteredRoutePolicy} runs the routes of that namespace on it alone
 * ({@link SingletonWork}). The leader renews its lease every third of the lease; the others ask every fifth, and
 * one of them takes the lease once it has expired (its holder died) or been released (its holder stopped). A leader
 * that cannot renew (the database unreachable) steps down a renewal before its lease runs out, so two hubs never run
 * the work at once.
 */
final class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterService.LeaseView> {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterService.class);

    private final Database db;
    private final String member;
    private final Duration lease;
    private final Clock clock;

    LeaseClusterService(Database db, String member, Duration lease, Clock clock) {
        super("ponte-lease");
        this.db = db;
        this.member = member;
        this.lease = lease;
        this.clock = clock;
    }

    String member() {
        return member;
    }

    @Override
    protected LeaseView createView(String namespace) {
        return new LeaseView(namespace);
    }

    /** One namespace's leadership. */
    final class LeaseView extends AbstractCamelClusterView {

        private final Member local = new Member(member, true);
        private volatile boolean leader;
        private volatile String holder;
        /** This hub acts as leader only before this instant: its lease's end, less one renewal. */
        private volatile Instant leadUntil = Instant.MIN;
        private ScheduledExecutorService timer;

        LeaseView(String namespace) {
            super(LeaseClusterService.this, namespace);
        }

        @Override
        protected void doStart() {
            check(); // a hub alone (or whose own lease this is, after a restart) leads from its start
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "ponte-lease-" + getNamespace());
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(100, lease.toMillis() / 5);
            timer.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            if (timer != null) {
                timer.shutdownNow();
            }
            if (leader) {
                setLeader(false);
                try {
                    db.inTransaction(c -> ClusterLeases.release(c, getNamespace(), member, clock.instant()));
                    LOG.info("{}: lease released; another hub takes this work over at once", getNamespace());
                } catch (RuntimeException e) {
                    LOG.warn("{}: the lease could not be released ({}); another hub takes the work over when it"
                            + " expires", getNamespace(), e.getMessage());
                }
            }
        }

        private long lastRenewal;

        /** Takes or renews the lease, and follows what the database says. */
        private synchronized void check() {
            Instant asked = clock.instant();
            if (leader && asked.toEpochMilli() - lastRenewal < lease.toMillis() / 3 && asked.isBefore(leadUntil)) {
                return; // renewed recently enough
            }
            try {
                ClusterLeases.Lease l = db.inTransaction(c -> ClusterLeases.acquire(c, getNamespace(), member, lease,
                        asked));
                holder = l.holder();
                boolean mine = l.heldBy(member, asked);
                if (mine) {
                    lastRenewal = asked.toEpochMilli();
                    leadUntil = asked.plus(lease).minusMillis(lease.toMillis() / 3);
                }
                setLeader(mine);
            } catch (RuntimeException e) {
                if (leader && !clock.instant().isBefore(leadUntil)) {
                    LOG.warn("{}: the lease could not be renewed ({}): stepping down before it expires, so that"
                            + " another hub can take the work over", getNamespace(), e.getMessage());
                    setLeader(false);
                } else {
                    LOG.warn("{}: the lease could not be checked ({}); trying again", getNamespace(),
                            e.getMessage());
                }
            }
        }

        private void setLeader(boolean now) {
            if (leader == now) {
                return;
            }
            leader = now;
            if (now) {
                LOG.info("{}: this hub ({}) now runs the work of this namespace", getNamespace(), member);
                fireLeadershipChangedEvent(local);
            } else {
                LOG.info("{}: this hub ({}) no longer runs the work of this namespace (held by {})", getNamespace(),
                        member, holder);
                fireLeadershipChangedEvent(getLeader());
            }
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            if (leader) {
                return Optional.of(local);
            }
            String h = holder;
            return h == null || h.equals(member) ? Optional.empty() : Optional.of(new Member(h, false));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            List<CamelClusterMember> members = new ArrayList<>();
            members.add(local);
            getLeader().filter(m -> !m.isLocal()).ifPresent(members::add);
            return members;
        }

        private final class Member implements CamelClusterMember {
            private final String id;
            private final boolean isLocal;

            Member(String id, boolean isLocal) {
                this.id = id;
                this.isLocal = isLocal;
            }

            @Override
            public boolean isLeader() {
                return isLocal ? leader : id.equals(holder);
            }

            @Override
            public boolean isLocal() {
                return isLocal;
            }

            @Override
            public String getId() {
                return id;
            }
        }
    }
}
