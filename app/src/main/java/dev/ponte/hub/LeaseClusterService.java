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
 * ({@link SingletonWork}). Every hub looks every sixth of the lease: the leader renews once a third has passed, the
 * others take the lease once it has expired (its holder died) or been released (its holder stopped). A leader whose
 * renewal fails or hangs steps down when two thirds of its lease have passed (a watchdog thread that never waits for
 * the database), a third of a lease before any other hub can take it: provided the hubs' clocks agree to within that
 * third (NTP) and a hub is not frozen for longer (a stop-the-world pause), two hubs do not run the work at once.
 * There is no fencing token: work already under way when a leader steps down finishes.
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
        /** Guards leader, leadUntil and the events fired; never held while the database is asked. */
        private final Object state = new Object();
        private volatile boolean leader;
        private volatile String holder;
        /** This hub acts as leader only before this instant: its lease's end, less a third of the lease. */
        private volatile Instant leadUntil = Instant.MIN;
        private volatile long lastRenewal;
        private volatile boolean stopped;
        private ScheduledExecutorService timer;

        LeaseView(String namespace) {
            super(LeaseClusterService.this, namespace);
        }

        @Override
        protected void doStart() {
            stopped = false;
            check(); // a hub alone leads from its start
            // two threads: the check, which may wait for the database, and the watchdog, which never does: a
            // leader whose renewal hangs (a full pool, a dead connection) still steps down at leadUntil
            timer = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "ponte-lease-" + getNamespace());
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(100, lease.toMillis() / 6);
            timer.scheduleWithFixedDelay(() -> guarded(this::check), every, every, TimeUnit.MILLISECONDS);
            timer.scheduleWithFixedDelay(() -> guarded(this::watchdog), every / 2, every / 2, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() {
            stopped = true;
            if (timer != null) {
                timer.shutdownNow();
                try {
                    // a check under way must not renew (or take) the lease after it is released below
                    if (!timer.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS)) {
                        LOG.warn("{}: a lease check did not end in time; the lease expires on its own",
                                getNamespace());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean was;
            synchronized (state) {
                was = leader;
                setLeader(false);
            }
            if (was) {
                try {
                    db.inTransaction(c -> ClusterLeases.release(c, getNamespace(), member, clock.instant()));
                    LOG.info("{}: lease released; another hub takes this work over at once", getNamespace());
                } catch (RuntimeException e) {
                    LOG.warn("{}: the lease could not be released ({}); another hub takes the work over when it"
                            + " expires", getNamespace(), e.getMessage());
                }
            }
        }

        /** A scheduled task must never end the schedule by throwing. */
        private void guarded(Runnable task) {
            try {
                task.run();
            } catch (Throwable t) {
                LOG.warn("{}: lease task failed ({}); trying again", getNamespace(), t.toString());
            }
        }

        /** Steps down when the lease could not be renewed in time, whatever the check is waiting for. */
        private void watchdog() {
            synchronized (state) {
                if (leader && !clock.instant().isBefore(leadUntil)) {
                    LOG.warn("{}: the lease was not renewed in time (the database is slow or unreachable): stepping"
                            + " down before it expires, so that another hub can take the work over", getNamespace());
                    setLeader(false);
                }
            }
        }

        /** Takes or renews the lease, and follows what the database says. */
        private void check() {
            if (stopped) {
                return;
            }
            Instant asked = clock.instant();
            if (leader && asked.toEpochMilli() - lastRenewal < lease.toMillis() / 3) {
                return; // renewed recently enough
            }
            ClusterLeases.Lease l;
            try {
                l = db.inTransaction(c -> ClusterLeases.acquire(c, getNamespace(), member, lease, asked));
            } catch (RuntimeException e) {
                LOG.warn("{}: the lease could not be checked ({}); trying again", getNamespace(), e.getMessage());
                return; // the watchdog steps down if this lasts
            }
            synchronized (state) {
                if (stopped) {
                    return;
                }
                holder = l.holder();
                Instant until = asked.plus(lease).minusMillis(lease.toMillis() / 3);
                // held, and the answer came back while it still counts (a slow answer leads to nothing)
                boolean mine = l.heldBy(member, asked) && clock.instant().isBefore(until);
                if (mine) {
                    lastRenewal = asked.toEpochMilli();
                    leadUntil = until;
                }
                setLeader(mine);
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
