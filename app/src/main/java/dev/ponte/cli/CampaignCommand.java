package dev.ponte.cli;

import dev.ponte.campaigns.Campaign;
import dev.ponte.campaigns.CampaignException;
import dev.ponte.campaigns.CampaignLoader;
import dev.ponte.campaigns.CampaignResults;
import dev.ponte.campaigns.CampaignRun;
import dev.ponte.glossary.Glossary;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.mapping.MappingProblem;
import dev.ponte.messaging.MessagingSettings;
import dev.ponte.messaging.TemplateException;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.store.CampaignRuns;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ponte campaign check|preview|run|results}: retention campaigns declared in {@code ponte.campaigns}
 * ({@code mappings/campaigns/<id>.yaml}). Patients are shown by canonical id, their addresses masked.
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = "Retention campaigns: check their files, preview a day, run it (schedules RECALL messages "
                + "through the messaging core), and see what followed.",
        subcommands = {CampaignCommand.Check.class, CampaignCommand.Preview.class, CampaignCommand.Run.class,
                CampaignCommand.Results.class})
final class CampaignCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every sub-command needs: the settings, the messaging settings with their connectors, the templates. */
    record Context(HubSettings settings, MessagingSettings messaging, TemplateSet templates, Path folder) {

        ZoneId zone() {
            return messaging.quietHours().zone();
        }

        CampaignLoader loader(Set<String> procedures) {
            return new CampaignLoader(templates, messaging.language(), procedures);
        }

        /** The campaign of an id from the campaign folder, checked against the store's catalog. */
        Campaign campaign(String id, Set<String> procedures) {
            Path file = folder.resolve(id + ".yaml");
            if (!id.matches("[a-z0-9][a-z0-9-]*") || !Files.isRegularFile(file)) {
                throw new CampaignException(List.of(new MappingProblem(file.toString(), 0, "campaign",
                        "no campaign '" + id + "' in " + folder + "; see `ponte campaign check`")));
            }
            return loader(procedures).loadFile(file);
        }
    }

    /** The context, or {@code null} after printing why there is none (templates refused). */
    static Context context(HubOptions hub, PrintWriter err) {
        HubSettings s = hub.settings();
        MessagingSettings ms = MessagingSettings.from(s.all()).withConnectors(channelConnectors(s.all()));
        String home = System.getProperty("ponte.home", ".");
        Path templates = ms.templates() != null ? ms.templates() : Path.of(home, "mappings", "templates");
        String c = s.get("ponte.campaigns");
        Path folder = c != null && !c.isBlank() ? Path.of(c.strip()) : Path.of(home, "mappings", "campaigns");
        try {
            TemplateSet set = new TemplateLoader(Glossary.loadDefault()).loadFolder(templates);
            return new Context(s, ms, set, folder);
        } catch (TemplateException e) {
            err.println("the templates of " + templates + " are refused (bin/ponte template check):");
            e.problems().forEach(err::println);
            err.flush();
            return null;
        }
    }

    /**
     * The connector instance of each channel as the hub would find it: {@code ponte.messaging.connector.<channel>},
     * else the one instance of the channel's type (the running hub also checks each instance's options).
     */
    static Map<Channel, String> channelConnectors(Map<String, String> all) {
        Map<Channel, List<String>> ofType = new EnumMap<>(Channel.class);
        all.forEach((k, v) -> {
            if (k.startsWith(ConnectorConfigs.PREFIX) && k.endsWith(".type")) {
                for (Channel ch : Channel.values()) {
                    if (ch.name().toLowerCase(Locale.ROOT).equals(v.strip())) {
                        ofType.computeIfAbsent(ch, x -> new ArrayList<>()).add(k.substring(ConnectorConfigs.PREFIX
                                .length(), k.length() - ".type".length()));
                    }
                }
            }
        });
        Map<Channel, String> out = new EnumMap<>(Channel.class);
        ofType.forEach((ch, names) -> {
            if (names.size() == 1) {
                out.put(ch, names.get(0));
            }
        });
        return out;
    }

    /** The procedure codes the store holds. */
    static Set<String> procedures(Database db) {
        return db.read(c -> Set.copyOf(CanonicalStore.payloads(c, "Procedure").keySet()));
    }

    /** The day of {@code --date}, default today in clinic time; {@code null} after printing why it is not one. */
    static LocalDate day(String date, ZoneId zone, PrintWriter err) {
        try {
            return date == null ? LocalDate.now(zone) : LocalDate.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            err.println("--date: '" + date + "' is not a date YYYY-MM-DD");
            err.flush();
            return null;
        }
    }

    private static int refused(CampaignException e, PrintWriter out, PrintWriter err) {
        e.problems().forEach(err::println);
        err.flush();
        out.flush();
        return 1;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Load campaign files with all their checks (keys, types, trigger, template of purpose "
                    + "recall, channels, window; procedure codes against the store's catalog when there is one).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every campaign loads", "1:at least one was refused (problems on stderr)"})
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "FILE", description = "Campaign files (default: every file of "
                + "ponte.campaigns, mappings/campaigns).")
        List<Path> files = new ArrayList<>();

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Context ctx = context(hub, err);
            if (ctx == null) {
                return 1;
            }
            List<Path> list = files.isEmpty() ? (Files.isDirectory(ctx.folder()) ? CampaignLoader.files(ctx.folder())
                    : List.of()) : files;
            Set<String> procedures = null;
            boolean store = ctx.settings().get("ponte.db.url") != null
                    || Files.exists(ctx.settings().dataDir().resolve("db").resolve("ponte.mv.db"));
            if (store) {
                try (Database db = PonteHub.openDatabase(ctx.settings())) {
                    procedures = procedures(db);
                }
            }
            CampaignLoader loader = ctx.loader(procedures);
            int refused = 0;
            int problems = 0;
            for (Path f : list) {
                try {
                    Campaign c = loader.loadFile(f);
                    out.printf("ok      %s  (%s v%d: %s, template %s, %s, window %s)%n", f, c.id(), c.version(),
                            c.trigger().key(), c.template(), c.channels().stream().map(ch -> ch.name()
                                    .toLowerCase(Locale.ROOT)).toList(), c.window());
                } catch (CampaignException e) {
                    refused++;
                    problems += e.problems().size();
                    out.printf("REFUSED %s  (%d problem(s))%n", f, e.problems().size());
                    e.problems().forEach(err::println);
                }
            }
            out.printf("%d file(s) checked, %d refused, %d problem(s)%s%n", list.size(), refused, problems,
                    procedures == null ? "; procedure codes checked for their form only (no store in "
                            + ctx.settings().dataDir() + ")" : "");
            out.flush();
            err.flush();
            return refused == 0 ? 0 : 1;
        }
    }

    @Command(name = "preview", mixinStandardHelpOptions = true,
            description = "Who a run of the day would message, who it would block and who it leaves out, and why; "
                    + "nothing is written. Patients by id, addresses masked.")
    static final class Preview implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The campaign (its file's name).")
        String id;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day (default: today, clinic time).")
        String date;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Context ctx = context(hub, err);
            LocalDate day = ctx == null ? null : day(date, ctx.zone(), err);
            if (ctx == null) {
                return 1;
            }
            if (day == null) {
                return 2;
            }
            try (Database db = PonteHub.openDatabase(ctx.settings())) {
                Campaign campaign = ctx.campaign(id, procedures(db));
                CampaignRun.Plan plan = new CampaignRun(ctx.messaging(), ctx.templates(), Clock.systemUTC())
                        .preview(db, campaign, day);
                out.printf("campaign %s for %s (preview, nothing written): %d patient(s) selected by %s%n", id, day,
                        plan.decisions().size(), campaign.trigger().key());
                out.printf("  would schedule %d, due %s; block %d %s; exclude %d %s%n",
                        plan.count(CampaignRuns.SCHEDULED), MessagesCommand.when(plan.dueAt(), ctx.zone()),
                        plan.count(CampaignRuns.BLOCKED), plan.reasons(CampaignRuns.BLOCKED),
                        plan.count(CampaignRuns.EXCLUDED), plan.reasons(CampaignRuns.EXCLUDED));
                for (CampaignRun.Decision d : plan.decisions()) {
                    out.printf("%-36s  %-9s  %-18s  %s%n", d.patientId(), d.outcome(), d.reason() != null
                                    ? d.reason() : d.channel() + " " + MessagesCommand.mask(d.recipient()),
                            d.detail());
                }
                out.flush();
                return 0;
            } catch (CampaignException e) {
                return refused(e, out, err);
            }
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run the campaign for the day: records who was messaged, blocked (why) or left out (why) "
                    + "and schedules the RECALL messages the running hub sends (consent, quiet hours, cadence "
                    + "checked again when due). Once per campaign and day.")
    static final class Run implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The campaign (its file's name).")
        String id;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "The day (default: today, clinic time).")
        String date;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Context ctx = context(hub, err);
            LocalDate day = ctx == null ? null : day(date, ctx.zone(), err);
            if (ctx == null) {
                return 1;
            }
            if (day == null) {
                return 2;
            }
            try (Database db = PonteHub.openDatabase(ctx.settings())) {
                Campaign campaign = ctx.campaign(id, procedures(db));
                CampaignRun.Result r = new CampaignRun(ctx.messaging(), ctx.templates(), Clock.systemUTC())
                        .run(db, campaign, day, HubOptions.actor());
                if (r.alreadyRun()) {
                    out.printf("campaign %s already ran for %s (run %s, %s by %s): nothing scheduled again%n", id,
                            day, r.run().id(), MessagesCommand.when(r.run().startedAt(), ctx.zone()), r.run().actor());
                } else {
                    out.printf("campaign %s ran for %s (run %s)%n", id, day, r.run().id());
                }
                CampaignRun.Plan p = r.plan();
                out.printf("  scheduled %d (due %s)%n  blocked   %d %s%n  excluded  %d %s%n",
                        p.count(CampaignRuns.SCHEDULED), MessagesCommand.when(p.dueAt(), ctx.zone()),
                        p.count(CampaignRuns.BLOCKED), p.reasons(CampaignRuns.BLOCKED),
                        p.count(CampaignRuns.EXCLUDED), p.reasons(CampaignRuns.EXCLUDED));
                out.flush();
                return 0;
            } catch (CampaignException e) {
                return refused(e, out, err);
            }
        }
    }

    @Command(name = "results", mixinStandardHelpOptions = true,
            description = "Per run, newest first: targeted, sent, pending, blocked by reason, replied and booked "
                    + "within the campaign's attribution window, left out by reason.")
    static final class Results implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "ID", description = "The campaign (its file's name).")
        String id;

        @CommandLine.Mixin
        HubOptions hub = new HubOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Context ctx = context(hub, err);
            if (ctx == null) {
                return 1;
            }
            try (Database db = PonteHub.openDatabase(ctx.settings())) {
                Campaign campaign = ctx.campaign(id, procedures(db));
                List<CampaignResults.Summary> list = new CampaignResults(Clock.systemUTC()).results(db, campaign);
                out.printf("%-10s  %-3s  %8s  %5s  %7s  %7s  %6s  %-30s  %s%n", "day", "v", "targeted", "sent",
                        "pending", "replied", "booked", "blocked", "excluded");
                for (CampaignResults.Summary s : list) {
                    out.printf("%-10s  %-3d  %8d  %5d  %7d  %7d  %6d  %-30s  %s%n", s.run().day(), s.run().version(),
                            s.targeted(), s.sent(), s.pending(), s.replied(), s.booked(), s.blocked(), s.excluded());
                }
                out.printf("%d run(s); replied within %d day(s), booked within %d day(s) of the message%n",
                        list.size(), campaign.repliedWithinDays(), campaign.bookedWithinDays());
                out.flush();
                return 0;
            } catch (CampaignException e) {
                return refused(e, out, err);
            }
        }
    }
}
