package dev.ponte.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.FileImport;
import dev.ponte.spi.Mappings;
import dev.ponte.spi.SourceMapping;
import dev.ponte.spi.SourcePoll;
import dev.ponte.spi.SourceReadException;
import dev.ponte.store.ImportReport;
import dev.ponte.store.ImportRuns;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ponte import PATH}: a one-shot import of a file or a folder of export files through the hub. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import an export file, or every export file of a folder, through the hub (mapping, validation,",
                "deduplication, store, events, dead letters), then print a summary. With --connector naming an",
                "instance that polls a legacy database (legacy-jdbc), and no PATH: read its tables once.",
                "Run it while 'ponte run' is not running on the same data directory."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the import ran to the end (rejected rows are in the report and the dead letters)",
                "1:the import itself failed, or a file (or the database) could not be read at all (empty, no header, I/O error, no driver); the other files were still imported", "2:usage error"})
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATH",
            description = "An export file or a folder of export files; none for a connector that polls a database.")
    Path path;

    @Option(names = "--mappings", paramLabel = "NAME",
            description = "Mapping folder: a name under mappings/ (legacy-clinic) or a path (default: the connector's).")
    String mappings;

    @Option(names = "--connector", paramLabel = "INSTANCE", defaultValue = "legacy",
            description = {"The source instance to import as (default: legacy, the legacy-csv one). An instance that",
                    "polls a database (legacy-jdbc) is read once, from where its last poll stopped, without PATH."})
    String instance;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the JSON report here.")
    Path report;

    @CommandLine.Mixin
    HubOptions hub = new HubOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (path != null && !Files.exists(path)) {
            err.println(path + ": no such file or folder");
            return 1;
        }
        Map<String, String> overrides = new HashMap<>();
        if (mappings != null) {
            Path folder = Path.of(mappings);
            if (!Files.isDirectory(folder)) {
                folder = Path.of(System.getProperty("ponte.home", ".")).resolve("mappings").resolve(mappings);
            }
            overrides.put("ponte.connectors." + instance + ".mappings", folder.toString());
        }
        try (PonteHub running = PonteHub.prepare(hub.settings(overrides)).start(false)) {
            ConnectorContext ctx = running.connectors().get(instance);
            if (ctx == null || ctx.mappings() == null) {
                err.println("no connector instance '" + instance + "' with mappings is configured (instances: "
                        + running.connectors().keySet() + ")");
                return 1;
            }
            ConnectorInstance opened = running.openForOneShot(instance);
            String type = ctx.config().descriptor().type();
            String runId = "import-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"));
            Progress progress = new Progress(err);
            List<String> failed = new ArrayList<>();
            if (path == null) {
                SourcePoll poll = opened.poll();
                if (poll == null) {
                    err.println("give the export file or folder to import: connector instance '" + instance + "' ("
                            + type + ") reads files");
                    return 2;
                }
                try {
                    poll.pollOnce(runId, progress::reading);
                } catch (SourceReadException e) {
                    progress.done();
                    err.println("failed " + instance + ": " + e.getMessage());
                    failed.add(instance);
                }
            } else {
                FileImport enqueuer = opened.fileImport();
                if (enqueuer == null) {
                    err.println("connector instance '" + instance + "' (" + type + ") cannot import files"
                            + (opened.poll() != null ? ": it polls its database; run bin/ponte import --connector "
                            + instance + " without a path" : ""));
                    return 1;
                }
                Mappings set = ctx.mappings();
                List<Read> files = files(set, err);
                if (files.isEmpty()) {
                    err.println(path + ": no file that a mapping in " + ctx.mappings().folder() + " reads");
                    return 1;
                }
                importFiles(enqueuer, set, files, runId, progress, err, failed);
            }
            if (!waitUntilProcessed(running, runId, progress, err)) {
                return 1;
            }
            ObjectNode result = running.database().inTransaction(c -> ImportReport.of(c, runId, null));
            progress.done();
            if (path == null && !result.get("files").fields().hasNext() && failed.isEmpty()) {
                out.println(instance + ": nothing new since its last poll");
            }
            summary(result, out);
            if (report != null) {
                Files.writeString(report, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
                out.println("report: " + report.toAbsolutePath());
            }
            out.println("next: bin/ponte status --data-dir " + hub.dataDir + "   |   bin/ponte dlq list --data-dir "
                    + hub.dataDir);
            out.flush();
            if (!failed.isEmpty()) {
                err.println("not imported (see above): " + failed);
                return 1;
            }
            return 0;
        }
    }

    /** Sends each file; a file unreadable as a whole is named in {@code failed} and the others still go. */
    private static void importFiles(FileImport enqueuer, Mappings set, List<Read> files, String runId,
                                    Progress progress, PrintWriter err, List<String> failed) {
        for (Read read : files) {
            Path f = read.file();
            if (failed.contains(f.getFileName().toString())) {
                continue; // already unreadable as another of its entities
            }
            try {
                if (read.mapping() == null) {
                    set.forFile(f.getFileName().toString()); // throws why the file cannot be read
                    throw new SourceReadException(f + ": no mapping reads it");
                }
                String name = set.sourceName(f.getFileName().toString(), read.mapping());
                enqueuer.importFile(f, read.mapping(), runId, null, n -> progress.reading(name, n));
            } catch (SourceReadException e) {
                // the file as a whole is unreadable (empty, no header, I/O, ambiguous): say so, go on with the others
                progress.done();
                err.println("failed " + f.getFileName() + ": " + e.getMessage());
                failed.add(f.getFileName().toString());
            }
        }
    }

    /** A file and one mapping that reads it; {@code null} when the file cannot be read (it fails with its reason). */
    private record Read(Path file, SourceMapping mapping) {
    }

    /**
     * The files to import, once per mapping that reads each, in reference order (a file of patients and appointments
     * gives its patients first, its appointments after every file's procedures); files no mapping reads are skipped
     * with a warning.
     */
    private List<Read> files(Mappings set, PrintWriter err) throws Exception {
        List<Path> candidates = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> s = Files.list(path)) {
                s.filter(Files::isRegularFile).sorted().forEach(candidates::add);
            }
        } else {
            candidates.add(path);
        }
        List<Read> out = new ArrayList<>();
        for (Path f : candidates) {
            List<SourceMapping> readers;
            try {
                readers = set.forFile(f.getFileName().toString());
            } catch (SourceReadException ambiguous) {
                out.add(new Read(f, null));
                continue;
            }
            if (!readers.isEmpty()) {
                readers.forEach(m -> out.add(new Read(f, m)));
            } else if (!Files.isDirectory(path) || f.toString().endsWith(".csv")) {
                err.println("skipped " + f.getFileName() + ": no mapping reads it");
            }
        }
        List<String> order = set.inReferenceOrder().stream().map(SourceMapping::name).toList();
        out.sort(Comparator.comparingInt(r -> r.mapping() == null ? -1 : order.indexOf(r.mapping().name())));
        return out;
    }

    /** Waits for the hub to process every row sent; gives up when nothing moves for two minutes. */
    private static boolean waitUntilProcessed(PonteHub running, String runId, Progress progress, PrintWriter err)
            throws InterruptedException {
        long lastDone = -1;
        long lastChange = System.nanoTime();
        while (true) {
            Map<String, ImportRuns.FileCounts> files = running.database().inTransaction(c -> ImportRuns.files(c, runId));
            long done = files.values().stream().mapToLong(ImportRuns.FileCounts::rowsDone).sum();
            long total = files.values().stream().mapToLong(f -> f.rowsTotal() == null ? 0 : f.rowsTotal()).sum();
            progress.processing(done, total);
            if (files.values().stream().allMatch(ImportRuns.FileCounts::complete)) {
                return true;
            }
            if (done != lastDone) {
                lastDone = done;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 120_000_000_000L) {
                err.println("\nimport stalled at " + done + " of " + total + " rows: nothing moved for 2 minutes.");
                files.forEach((file, f) -> {
                    if (!f.complete()) {
                        err.println("  " + file + ": " + f.rowsDone() + " of " + (f.rowsTotal() == null
                                ? "? (still being read)" : f.rowsTotal()) + " rows processed");
                    }
                });
                long exhausted = running.database().inTransaction(c -> dev.ponte.store.DeadLetters.list(c,
                        new dev.ponte.store.DeadLetters.Filter(null, dev.ponte.validation.Rules.RETRIES_EXHAUSTED,
                                null, dev.ponte.store.DeadLetter.Status.OPEN))).size();
                err.println(exhausted > 0
                        ? "  " + exhausted + " message(s) failed every delivery attempt: 'bin/ponte dlq list --rule "
                        + dev.ponte.validation.Rules.RETRIES_EXHAUSTED + "' shows why; fix the cause, then "
                        + "'bin/ponte dlq replay --all'"
                        : "  a chunk is still being retried by the broker: see the log for its error");
                return false;
            }
            Thread.sleep(200);
        }
    }

    private static void summary(ObjectNode result, PrintWriter out) {
        out.printf("%-30s %8s %8s %8s %9s %7s %8s%n", "file", "rows", "created", "updated", "unchanged", "merged",
                "rejected");
        JsonNode files = result.get("files");
        files.fields().forEachRemaining(e -> {
            JsonNode f = e.getValue();
            out.printf("%-30s %8d %8d %8d %9d %7d %8d%n", e.getKey(), f.get("rows").asLong(), f.get("created").asLong(),
                    f.get("updated").asLong(), f.get("unchanged").asLong(), f.get("merged").asLong(),
                    f.get("rejected").asLong());
        });
    }

    /** A progress line on a terminal; silent when stderr is not a terminal. */
    private static final class Progress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private long lastPrint;

        Progress(PrintWriter err) {
            this.err = err;
        }

        void reading(String file, long rows) {
            print(String.format("reading %s: %,d rows sent", file, rows));
        }

        void processing(long done, long total) {
            int width = 30;
            int filled = total == 0 ? 0 : (int) Math.min(width, done * width / total);
            print(String.format("processing [%s%s] %,d / %,d rows", "#".repeat(filled), " ".repeat(width - filled),
                    done, total));
        }

        private void print(String line) {
            long now = System.nanoTime();
            if (terminal && now - lastPrint > 100_000_000L) {
                err.print("\r" + line + "\u001b[K");
                err.flush();
                lastPrint = now;
            }
        }

        void done() {
            if (terminal) {
                err.print("\r\u001b[K");
                err.flush();
            }
        }
    }
}
