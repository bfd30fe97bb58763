package dev.ponte.cli;

import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.reconcile.Reconciliation;
import dev.ponte.reconcile.ReconciliationRun;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ponte reconcile --date D}: what is booked, billed and invoiced must agree ({@link Reconciliation}); prints
 * the counts by rule and every finding, writes {@code reconcile-<D>.csv} and {@code .json}, publishes an event per
 * finding. Exit 0 with findings listed (they are the report, not an error); 2 on a wrong option.
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = {"Reconcile one day: attended not charged, charged not paid past due, paid not invoiced, "
                + "invoiced not paid, invoice amount different from the charge's, package sessions used different "
                + "from attended appointments.",
                "Writes reconcile-<date>.csv and .json (into --out, default <data-dir>/reports) and an event "
                        + "reconciliation.finding per finding. Exit 0 with the findings listed."})
final class ReconcileCommand implements Callable<Integer> {

    @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day (default: yesterday, clinic time).")
    String date;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder of the reports (default <data-dir>/reports).")
    Path out;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HubSettings settings = hub.settings();
        ZoneId zone = ZoneId.of(settings.get("ponte.messaging.zone"));
        LocalDate day;
        try {
            day = date == null ? LocalDate.now(zone).minusDays(1) : LocalDate.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            spec.commandLine().getErr().println("--date: '" + date + "' is not a date YYYY-MM-DD");
            spec.commandLine().getErr().flush();
            return 2;
        }
        LocalDate from = FiscalTriggerSettings.from(settings.all(), null).from();
        Path folder = this.out != null ? this.out : settings.dataDir().resolve("reports");
        try (Database db = PonteHub.openDatabase(settings)) {
            ReconciliationRun.Result r = ReconciliationRun.run(db, new Reconciliation(zone, from), day, folder,
                    HubOptions.actor(), settings.clinic(), Instant.now());
            out.println("reconciliation of " + day + ": " + r.findings().size() + " finding(s)");
            for (Map.Entry<String, Integer> e : r.counts().entrySet()) {
                out.printf("  %-26s %5d%n", e.getKey(), e.getValue());
            }
            for (Reconciliation.Finding f : r.findings()) {
                out.printf("%s  %s/%s  %s%n", f.rule(), f.entity(), f.id(), f.detail());
            }
            out.println("reports: " + r.csv() + ", " + r.json());
            out.flush();
        }
        return 0;
    }
}
