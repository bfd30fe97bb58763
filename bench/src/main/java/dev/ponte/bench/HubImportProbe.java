package dev.ponte.bench;

import dev.ponte.broker.Queues;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.mapping.Mapping;
import dev.ponte.mapping.MappingSet;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportRuns;
import org.apache.camel.builder.RouteBuilder;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Child process: imports an export folder through the whole hub on the embedded default (Artemis, H2, mapping,
 * validation, dedupe, store, outbox, events on {@code ponte.events}) exactly as {@code bin/ponte import} does, and
 * measures it. Arguments: {@code HOME EXPORT_DIR DATA_DIR APPOINTMENTS [again]}. Prints its result as one
 * {@code RESULT} line on standard output: the protocol {@link BenchMain} reads, not logging.
 * <p>
 * After the import, on the hub now idle, it hands {@value #SINGLE_CHANGES} single changed rows to the hub one at a
 * time (a one-row {@code agenda.csv} through the connector's file import, as a poll or an inbox file brings one) and
 * times each from the hand-over to its event on {@code ponte.events}. With {@code again} the data directory already
 * holds the same export: nothing changes, so no event is awaited and no single change is made (the second-import
 * figures: time, and the growth of the database that {@link BenchMain} measures).
 */
public final class HubImportProbe {

    /** First appointment code of the generator (COD_AGENDA = 200000 + row index). */
    static final long FIRST_APPOINTMENT = 200_000;
    /** Single changes made after the import (the idle hub's latency). */
    static final int SINGLE_CHANGES = 200;
    /** Marks the notes of a single change: {@code bench-change-<n>}. */
    static final String CHANGE_MARK = "bench-change-";

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path export = Path.of(args[1]);
        Path dataDir = Path.of(args[2]);
        int appointments = Integer.parseInt(args[3]);
        boolean again = args.length > 4 && args[4].equals("again");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        HubSettings settings = HubSettings.load(dataDir, null, Map.of("ponte.http.port", String.valueOf(port),
                "ponte.connectors.legacy.mappings", home.resolve("mappings/legacy-clinic").toString()));
        long[] readStart = new long[appointments];
        long[] published = new long[appointments];
        AtomicLong seen = new AtomicLong();
        java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.CompletableFuture<Long>> changes =
                new java.util.concurrent.ConcurrentHashMap<>();
        try (ProcessStats stats = new ProcessStats(); PonteHub hub = PonteHub.prepare(settings).start(false)) {
            hub.camel().addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("jms:topic:" + Queues.EVENTS).routeId("bench-event-probe").process(e -> {
                        long now = System.nanoTime();
                        String body = e.getIn().getBody(String.class);
                        int mark = body.indexOf(CHANGE_MARK);
                        if (mark >= 0) {
                            int end = body.indexOf('"', mark); // the end of the notes' JSON string
                            changes.computeIfAbsent(Integer.parseInt(body.substring(mark + CHANGE_MARK.length(), end)),
                                    k -> new java.util.concurrent.CompletableFuture<>()).complete(now);
                            return;
                        }
                        int at = body.indexOf(":Appointment:");
                        if (at >= 0) {
                            int end = body.indexOf('"', at);
                            long index = Long.parseLong(body.substring(at + 13, end)) - FIRST_APPOINTMENT;
                            if (index >= 0 && index < published.length && published[(int) index] == 0) {
                                published[(int) index] = now;
                                seen.incrementAndGet();
                            }
                        }
                    });
                }
            });
            ConnectorContext ctx = hub.connectors().get("legacy");
            MappingSet set = ((dev.ponte.inbound.FolderMappingRegistry) ctx.mappings()).set();
            int chunk = ctx.config().integer("chunk-size");
            dev.ponte.spi.FileImport enqueuer = hub.openForOneShot("legacy").fileImport();
            List<Path> files;
            try (Stream<Path> s = Files.list(export)) {
                files = s.filter(f -> !set.forFile(f.getFileName().toString()).isEmpty())
                        .sorted((a, b) -> Integer.compare(order(set, a), order(set, b))).toList();
            }
            String runId = "bench-" + System.currentTimeMillis();
            long t0 = System.nanoTime();
            long rows = 0;
            for (Path f : files) {
                Mapping m = set.forFile(f.getFileName().toString()).get(0); // the shipped export: one entity a file
                boolean agenda = m.target().getSimpleName().equals("Appointment");
                long[] mark = {System.nanoTime()};
                rows += enqueuer.importFile(f, new dev.ponte.inbound.SourceMappingView(m), runId, null, n -> {
                    long now = System.nanoTime();
                    if (agenda) { // the rows of the chunk just sent began to be read at the previous mark
                        int from = (int) Math.max(0, n - chunk);
                        Arrays.fill(readStart, from, (int) Math.min(n, readStart.length), mark[0]);
                    }
                    mark[0] = now;
                });
            }
            // the store is asked only once every appointment's event was seen: polling it all along took CPU
            // from the hub (each look is a transaction on a pooled connection, 50 a second)
            while ((!again && seen.get() < appointments) || !done(hub, runId)) {
                Thread.sleep(20); // a harness polling, not a test: precision 20 ms over tens of seconds
            }
            long t1 = System.nanoTime();
            double p50 = -1;
            double p99 = -1;
            if (!again) {
                long[] latencies = new long[appointments];
                for (int i = 0; i < appointments; i++) {
                    latencies[i] = published[i] - readStart[i];
                }
                Arrays.sort(latencies);
                p50 = latencies[appointments / 2] / 1e6;
                p99 = latencies[(int) (appointments * 0.99)] / 1e6;
            }
            double[] single = again ? new double[]{-1, -1, -1} : singleChanges(export, set, enqueuer, changes);
            ImportResult r = new ImportResult("hub", rows, (t1 - t0) / 1e9, p50, p99, stats.peakHeapUsed(),
                    ProcessStats.peakHeapAfterGc(), ProcessStats.maxHeap(), ProcessStats.peakRss(), single[0],
                    single[1], single[2]);
            System.out.println(r.toLine());
        }
        System.exit(0);
    }

    /**
     * Hands {@value #SINGLE_CHANGES} changed rows to the idle hub one at a time (the first appointments of the export
     * with new notes) and returns the p50, p99 and largest time in ms from the hand-over to the event on
     * {@code ponte.events}.
     */
    private static double[] singleChanges(Path export, MappingSet set, dev.ponte.spi.FileImport enqueuer,
                                          Map<Integer, java.util.concurrent.CompletableFuture<Long>> seen)
            throws Exception {
        java.nio.charset.Charset latin1 = java.nio.charset.StandardCharsets.ISO_8859_1;
        List<String> lines;
        try (Stream<String> s = Files.lines(export.resolve("agenda.csv"), latin1)) {
            lines = s.limit(SINGLE_CHANGES + 1).toList();
        }
        Path dir = Files.createTempDirectory("bench-changes");
        Path file = dir.resolve("agenda.csv");
        Mapping m = set.forFile("agenda.csv").get(0);
        long[] took = new long[SINGLE_CHANGES];
        for (int i = 0; i < SINGLE_CHANGES; i++) {
            String[] row = lines.get(i + 1).split(";", -1);
            row[row.length - 1] = CHANGE_MARK + i; // OBS, the notes: a real change of the record
            Files.writeString(file, lines.get(0) + "\r\n" + String.join(";", row) + "\r\n", latin1);
            java.util.concurrent.CompletableFuture<Long> event = seen.computeIfAbsent(i,
                    k -> new java.util.concurrent.CompletableFuture<>());
            long sent = System.nanoTime();
            enqueuer.importFile(file, new dev.ponte.inbound.SourceMappingView(m), "bench-change-" + i, null, n -> { });
            took[i] = event.get(30, java.util.concurrent.TimeUnit.SECONDS) - sent;
        }
        Arrays.sort(took);
        return new double[]{took[SINGLE_CHANGES / 2] / 1e6, took[(int) (SINGLE_CHANGES * 0.99)] / 1e6,
                took[SINGLE_CHANGES - 1] / 1e6};
    }

    private static int order(MappingSet set, Path f) {
        return set.inReferenceOrder().indexOf(set.forFile(f.getFileName().toString()).get(0));
    }

    private static boolean done(PonteHub hub, String runId) {
        return hub.database().inTransaction(c -> ImportRuns.files(c, runId).values().stream()
                .allMatch(ImportRuns.FileCounts::complete) && EventOutbox.unpublished(c, 1).isEmpty());
    }
}
