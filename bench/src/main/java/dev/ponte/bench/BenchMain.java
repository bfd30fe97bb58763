package dev.ponte.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;
import dev.ponte.tools.LegacyExportGenerator;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark driver behind {@code bench/run}: {@code import}, {@code jmh}, {@code startup} or {@code all}, and
 * {@code reminders} (not part of {@code all}: at the default cap of 80/s it takes several minutes).
 * Every figure is printed next to a baseline measured in the same run, and the whole run is written as JSON to
 * {@code bench/target/results/}. A command-line program: its standard output is the report (no logger), and it
 * reads each probe's result from the probe's standard output.
 */
public final class BenchMain {

    private final Path home;
    private final Path work;
    private final String heap;
    private final ObjectNode results = Json.MAPPER.createObjectNode();

    private BenchMain(Path home, Path work, String heap) {
        this.home = home;
        this.work = work;
        this.heap = heap;
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "all";
        int appointments = 100_000;
        String heap = "512m";
        int count = 10_000;
        int rate = 80;
        Integer batch = null;
        Integer interval = null;
        boolean postgres = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--appointments" -> appointments = Integer.parseInt(args[++i].replace("_", ""));
                case "--heap" -> heap = args[++i];
                case "--count" -> count = Integer.parseInt(args[++i].replace("_", ""));
                case "--rate" -> rate = Integer.parseInt(args[++i].replace("_", ""));
                case "--batch" -> batch = Integer.parseInt(args[++i].replace("_", ""));
                case "--interval" -> interval = Integer.parseInt(args[++i].replace("_", ""));
                case "--store" -> postgres = switch (args[++i]) {
                    case "postgresql" -> true;
                    case "h2" -> false;
                    default -> throw new IllegalArgumentException("--store " + args[i] + ": h2 or postgresql");
                };
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (options: --appointments N, --heap 512m, --store postgresql (import: the hub on"
                        + " PostgreSQL too, beside H2); reminders: --count N, --rate 80, --batch 200, --interval 1000)");
            }
        }
        Path home = Path.of(System.getProperty("ponte.home", ".")).toAbsolutePath().normalize();
        BenchMain bench = new BenchMain(home, home.resolve("bench/target/work"), heap);
        bench.machine();
        if (what.equals("import") || what.equals("all")) {
            bench.importBench(appointments, postgres);
        }
        if (what.equals("jmh") || what.equals("all")) {
            bench.jmh();
        }
        if (what.equals("startup") || what.equals("all")) {
            bench.startup();
        }
        if (what.equals("reminders")) {
            RemindersBench.run(home, bench.work, count, rate, batch, interval, bench.results);
        }
        Path out = home.resolve("bench/target/results");
        Files.createDirectories(out);
        Path file = out.resolve(what + "-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(bench.results));
        System.out.println("\nresults: " + file);
        System.exit(0); // an in-process hub's broker client leaves non-daemon Artemis threads behind for a while
    }

    private void machine() throws IOException {
        ObjectNode m = results.putObject("machine");
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.exists(cpuinfo)) {
            Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> m.put("cpu", l.substring(l.indexOf(':') + 1).trim()));
        }
        System.out.println("machine: " + m);
    }

    // ---------------------------------------------------------------- end-to-end import

    private void importBench(int appointments, boolean postgres) throws Exception {
        Path export = work.resolve("export-" + appointments);
        int patients = Math.max(200, appointments / 20);
        Path complete = export.resolve(".complete");
        if (!Files.exists(complete)) { // a generation cut short is done again
            System.out.printf("generating %,d appointments and %,d patients in %s%n", appointments, patients, export);
            LegacyExportGenerator.generate(export, patients, appointments, 0, 7);
            Files.writeString(complete, "generated by bench/run\n");
        }
        long bytes = 0;
        try (var files = Files.list(export)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".csv")).toList()) {
                bytes += Files.size(f);
            }
        }
        System.out.printf("export: %,d bytes; each probe runs in its own JVM with -Xmx%s%n", bytes, heap);
        Path baselineData = fresh(work.resolve("data-baseline"));
        ImportResult baseline = child("baseline", List.of(BaselineImportProbe.class.getName(), export.toString(),
                baselineData.toString()));
        Path hubData = fresh(work.resolve("data-hub"));
        List<String> hubProbe = List.of(HubImportProbe.class.getName(), home.toString(), export.toString(),
                hubData.toString(), String.valueOf(appointments));
        ImportResult hub = child("hub", hubProbe);
        long dbFirst = size(hubData.resolve("db")); // the hub has stopped (and compacted its database)
        List<String> againProbe = new ArrayList<>(hubProbe);
        againProbe.add("again");
        ImportResult again = child("hub, same export again", againProbe);
        long dbAgain = size(hubData.resolve("db"));
        double ratio = hub.rowsPerSecond() / baseline.rowsPerSecond();
        double bytesPerRow = (double) dbFirst / hub.rows();
        double growth = 100.0 * (dbAgain - dbFirst) / dbFirst;
        boolean million = appointments >= 1_000_000;
        double ratioTarget = million ? 0.25 : 0.2;
        System.out.println();
        System.out.printf("%-9s %10s %9s %11s %11s %10s %11s %9s%n", "import", "rows", "seconds", "rows/s",
                "p50 ms", "p99 ms", "peak heap", "peak RSS");
        for (ImportResult r : List.of(baseline, hub, again)) {
            System.out.printf("%-9s %,10d %9.1f %,11.0f %11s %10s %9d MB %6d MB%n", r == again ? "hub again"
                            : r.name(), r.rows(), r.seconds(), r.rowsPerSecond(),
                    r.latencyP50Ms() < 0 ? "-" : String.format("%,.0f", r.latencyP50Ms()),
                    r.latencyP99Ms() < 0 ? "-" : String.format("%,.0f", r.latencyP99Ms()), r.peakHeapUsed() >> 20,
                    r.peakRss() >> 20);
        }
        System.out.printf("hub / baseline throughput: %.2f× (target ≥ %.2f×: %s)%n", ratio, ratioTarget,
                ratio >= ratioTarget ? "met" : "not met");
        System.out.printf("database after the import, hub stopped: %,d bytes = %,.0f bytes per row (target ≤ 1,536:"
                + " %s)%n", dbFirst, bytesPerRow, bytesPerRow <= 1536 ? "met" : "not met");
        System.out.printf("database after a second import of the same export: %,d bytes, %+.1f %% (target ≤ +5 %%:"
                + " %s)%n", dbAgain, growth, growth <= 5 ? "met" : "not met");
        System.out.printf("one changed row into the idle hub → its event on ponte.events, %d changes: p50 %.1f ms, p99"
                + " %.1f ms, max %.1f ms (target p99 ≤ 100 ms: %s)%n", HubImportProbe.SINGLE_CHANGES,
                hub.singleP50Ms(), hub.singleP99Ms(), hub.singleMaxMs(), hub.singleP99Ms() <= 100 ? "met" : "not met");
        System.out.printf("heap: the import completed with -Xmx%s; live heap after GC, hub: %d MB%n", heap,
                hub.peakHeapAfterGc() >> 20);
        ObjectNode o = results.putObject("import");
        o.put("appointments", appointments);
        o.put("patients", patients);
        o.put("exportBytes", bytes);
        o.put("heapLimit", heap);
        o.set("baseline", Json.MAPPER.valueToTree(baseline));
        o.set("hub", Json.MAPPER.valueToTree(hub));
        o.set("hubAgain", Json.MAPPER.valueToTree(again));
        o.put("hubOverBaseline", ratio);
        o.put("databaseBytesAfterImport", dbFirst);
        o.put("databaseBytesPerRow", bytesPerRow);
        o.put("databaseBytesAfterSecondImport", dbAgain);
        o.put("databaseGrowthPercentSecondImport", growth);
        if (postgres) {
            postgresImport(export, appointments, baseline, o);
        }
    }

    /**
     * The same hub probe with its store on PostgreSQL (a server started from the machine's binaries for this run,
     * fsync off as in the tests: the figure is the hub's work, not the disk's), beside the H2 figures of the same
     * run and the same baseline.
     */
    private void postgresImport(Path export, int appointments, ImportResult baseline, ObjectNode o) throws Exception {
        dev.ponte.testsupport.LocalPostgres pg = dev.ponte.testsupport.LocalPostgres.shared();
        String url = pg.freshSchema();
        Path data = fresh(work.resolve("data-hub-postgresql"));
        Files.writeString(data.resolve("ponte.properties"), "ponte.db.url=" + url + "\nponte.db.user=" + pg.user()
                + "\nponte.db.password=" + (pg.password() == null ? "" : pg.password()) + "\n");
        ImportResult hub = child("hub on PostgreSQL", List.of(HubImportProbe.class.getName(), home.toString(),
                export.toString(), data.toString(), String.valueOf(appointments)));
        long bytes;
        String schema = url.substring(url.indexOf("currentSchema=") + "currentSchema=".length());
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, pg.user(), pg.password());
             java.sql.PreparedStatement ps = c.prepareStatement("select coalesce(sum(pg_total_relation_size(c.oid)),"
                     + " 0) from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ?"
                     + " and c.relkind in ('r', 'm')")) {
            ps.setString(1, schema);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                bytes = rs.getLong(1);
            }
        }
        double ratio = hub.rowsPerSecond() / baseline.rowsPerSecond();
        System.out.printf("%-9s %,10d %9.1f %,11.0f %11s %10s %9d MB %6d MB%n", "hub on PG", hub.rows(),
                hub.seconds(), hub.rowsPerSecond(), String.format("%,.0f", hub.latencyP50Ms()),
                String.format("%,.0f", hub.latencyP99Ms()), hub.peakHeapUsed() >> 20, hub.peakRss() >> 20);
        System.out.printf("hub on PostgreSQL / baseline throughput: %.2f×; its tables and indexes after the import:"
                + " %,d bytes = %,.0f bytes per row; one changed row → its event: p50 %.1f ms, p99 %.1f ms%n", ratio,
                bytes, (double) bytes / hub.rows(), hub.singleP50Ms(), hub.singleP99Ms());
        ObjectNode p = o.putObject("postgresql");
        p.set("hub", Json.MAPPER.valueToTree(hub));
        p.put("hubOverBaseline", ratio);
        p.put("tableBytesAfterImport", bytes);
        p.put("tableBytesPerRow", (double) bytes / hub.rows());
    }

    /** Bytes of the files under {@code dir}. */
    static long size(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static Path fresh(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        return dir;
    }

    private ImportResult child(String name, List<String> mainAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx" + heap, "-Dponte.home=" + home,
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        System.out.printf("running %s probe...%n", name);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ImportResult result = null;
        List<String> tail = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = ImportResult.parse(line);
                } else {
                    tail.add(line);
                    if (tail.size() > 40) {
                        tail.remove(0);
                    }
                }
            }
        }
        int exit = p.waitFor();
        if (result == null) {
            throw new IllegalStateException(name + " probe failed (exit " + exit + "); its last output:\n"
                    + String.join("\n", tail));
        }
        return result;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    // ---------------------------------------------------------------- JMH

    private void jmh() throws Exception {
        Options options = new OptionsBuilder().include(MappingBenchmark.class.getName())
                .forks(1).warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .jvmArgsAppend("-Dponte.home=" + home, "-Xmx" + heap).build();
        Collection<RunResult> run = new Runner(options).run();
        Map<String, double[]> scores = new LinkedHashMap<>();
        for (RunResult r : run) {
            String label = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            scores.put(label, new double[]{r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()});
        }
        double engine = scores.get("mappingEngine")[0];
        double hand = scores.get("handWritten")[0];
        double ratio = hand / engine; // throughput of the engine relative to hand-written code
        System.out.println();
        scores.forEach((k, v) -> System.out.printf("%-22s %,10.0f ± %,.0f ns per row%n", k, v[0], v[1]));
        System.out.printf("mapping engine / hand-written throughput: %.2f× (target ≥ 0.7×: %s)%n", ratio,
                ratio >= 0.7 ? "met" : "not met");
        System.out.printf("validation per record: %,.0f ns%n", scores.get("validation")[0]);
        ObjectNode o = results.putObject("jmh");
        scores.forEach((k, v) -> o.putObject(k).put("nsPerRow", v[0]).put("error", v[1]));
        o.put("engineOverHandWritten", ratio);
    }

    // ---------------------------------------------------------------- start-up

    private void startup() throws Exception {
        Path launcher = home.resolve("bin/ponte");
        // build first (bin/ponte builds on first use): the build is not start-up time
        run(List.of(launcher.toString(), "--version"), Duration.ofMinutes(10));
        // the first `run` after a build writes the class-data archive (bin/ponte, AppCDS) when it stops: not timed
        long first = timeToHealthy(launcher, fresh(work.resolve("data-startup")));
        int runs = 5;
        long[] jvm = new long[runs];
        long[] fresh = new long[runs];
        long[] again = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            run(List.of(java(), "-version"), Duration.ofSeconds(30));
            jvm[i] = System.nanoTime() - t0;
            Path data = fresh(work.resolve("data-startup"));
            fresh[i] = timeToHealthy(launcher, data);
            again[i] = timeToHealthy(launcher, data);
        }
        double jvmMs = median(jvm) / 1e6;
        double freshMs = median(fresh) / 1e6;
        double againMs = median(again) / 1e6;
        System.out.println();
        System.out.printf("start-up to health UP, median of %d: new data dir %,.0f ms, existing %,.0f ms; "
                + "bare JVM (java -version) %,.0f ms → %.1f× the bare JVM (target ≤ 2 s: %s)%n", runs, freshMs,
                againMs, jvmMs, Math.max(freshMs, againMs) / jvmMs, Math.max(freshMs, againMs) <= 2000 ? "met"
                        : "not met");
        System.out.printf("the untimed first start (it writes the class-data archive as it stops): %,.0f ms%n",
                first / 1e6);
        ObjectNode o = results.putObject("startup");
        o.put("runs", runs);
        o.put("firstStartWritingTheArchiveMs", first / 1e6);
        o.put("newDataDirMs", freshMs);
        o.put("existingDataDirMs", againMs);
        o.put("bareJvmMs", jvmMs);
        ArrayNode all = o.putArray("newDataDirAllMs");
        Arrays.stream(fresh).forEach(v -> all.add(v / 1e6));
    }

    /** Starts {@code bin/ponte run} and returns the nanoseconds until /health answers 200 with status UP. */
    private long timeToHealthy(Path launcher, Path data) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "run", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(work.resolve("startup.log").toFile());
        pb.environment().put("PONTE_JAVA_OPTS", "-Dponte.http.port=" + port);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60)) {
                try {
                    HttpResponse<String> r = http.send(health, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"status\":\"UP\"")) {
                        return System.nanoTime() - t0;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!p.isAlive()) {
                    throw new IllegalStateException("bin/ponte run exited with " + p.exitValue() + "; see "
                            + work.resolve("startup.log"));
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("bin/ponte run not healthy after 60 s; see " + work.resolve("startup.log"));
        } finally {
            p.destroy(); // SIGTERM: graceful stop, so the next start finds a clean data directory
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    private static void run(List<String> cmd, Duration limit) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " failed");
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
