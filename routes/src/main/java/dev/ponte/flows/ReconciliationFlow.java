package dev.ponte.flows;

import dev.ponte.reconcile.Reconciliation;
import dev.ponte.reconcile.ReconciliationRun;
import dev.ponte.store.Database;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daily reconciliation of the running hub: once a day, at {@code ponte.flows.reconcile.at} in the clinic's
 * zone, the previous day is reconciled ({@link ReconciliationRun}: reports in {@code <data-dir>/reports} and an
 * event per finding). A timer looks once a minute; a hub started after that hour reconciles the previous day at
 * once. Running a day twice (a restart) publishes no finding twice.
 */
public final class ReconciliationFlow extends RouteBuilder {

    public static final String ROUTE_ID = "flow-reconcile";
    private static final Logger LOG = LoggerFactory.getLogger(ReconciliationFlow.class);

    private final Database db;
    private final Reconciliation reconciliation;
    private final LocalTime at;
    private final ZoneId zone;
    private final Path folder;
    private final String clinic;
    private final Clock clock;
    private final AtomicReference<LocalDate> done = new AtomicReference<>();

    public ReconciliationFlow(Database db, Reconciliation reconciliation, LocalTime at, ZoneId zone, Path folder,
                              String clinic, Clock clock) {
        this.db = db;
        this.reconciliation = reconciliation;
        this.at = at;
        this.zone = zone;
        this.folder = folder;
        this.clinic = clinic;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from("timer:ponte-reconcile?period=60000&delay=5000")
                .routeId(ROUTE_ID)
                .process(e -> tick());
    }

    /** Reconciles yesterday when it is past the hour and not done yet today. */
    void tick() throws Exception {
        ZonedDateTime now = clock.instant().atZone(zone);
        if (now.toLocalTime().isBefore(at)) {
            return;
        }
        LocalDate day = now.toLocalDate().minusDays(1);
        if (day.equals(done.get())) {
            return;
        }
        ReconciliationRun.Result r = ReconciliationRun.run(db, reconciliation, day, folder, "hub", clinic,
                clock.instant());
        done.set(day);
        LOG.info("reconciliation of {}: {} finding(s) {}; reports {}", day, r.findings().size(), r.counts(),
                r.csv());
    }
}
