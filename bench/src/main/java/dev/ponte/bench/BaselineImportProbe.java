package dev.ponte.bench;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.dataformat.csv.CsvDataFormat;
import org.apache.camel.impl.DefaultCamelContext;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Child process: the baseline. The same export files through a bare Camel route (file → CSV unmarshal, streaming →
 * split into batches of 500 rows → JDBC batch insert with camel-sql into embedded H2 in file mode, the hub's
 * database), with no mapping, validation, broker or events. Arguments: {@code EXPORT_DIR DATA_DIR}. Prints its
 * result as one {@code RESULT} line on standard output: the protocol {@link BenchMain} reads, not logging.
 */
public final class BaselineImportProbe {

    public static void main(String[] args) throws Exception {
        Path export = Path.of(args[0]);
        Path dataDir = Path.of(args[1]);
        Files.createDirectories(dataDir);
        JdbcConnectionPool ds = JdbcConnectionPool.create("jdbc:h2:file:" + dataDir.resolve("baseline")
                .toAbsolutePath() + ";MODE=PostgreSQL;WRITE_DELAY=0;DB_CLOSE_DELAY=-1", "", "");
        List<Path> files;
        try (Stream<Path> s = Files.list(export)) {
            files = s.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        Map<Path, List<String>> headers = new java.util.LinkedHashMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (Path f : files) {
                String header = Files.newBufferedReader(f, StandardCharsets.ISO_8859_1).readLine();
                List<String> columns = List.of(header.split(";"));
                headers.put(f, columns);
                st.execute("create table " + table(f) + " (" + String.join(" varchar(2000), ", columns)
                        + " varchar(2000))");
            }
        }
        long rows = 0;
        for (Path f : files) {
            try (var lines = Files.lines(f, StandardCharsets.ISO_8859_1)) {
                rows += lines.count() - 1;
            }
        }
        try (ProcessStats stats = new ProcessStats()) {
            CamelContext camel = new DefaultCamelContext();
            camel.getRegistry().bind("ds", ds);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (Map.Entry<Path, List<String>> e : headers.entrySet()) {
                        Path f = e.getKey();
                        List<String> columns = e.getValue();
                        CsvDataFormat csv = new CsvDataFormat();
                        csv.setDelimiter(';');
                        csv.setSkipHeaderRecord(true);
                        csv.setLazyLoad(true);
                        String insert = "insert into " + table(f) + " values (" + String.join(", ",
                                columns.stream().map(col -> ":#" + col).toList()) + ")";
                        from("direct:" + table(f))
                                .routeId("baseline-" + table(f))
                                .unmarshal(csv)
                                .split(method(new Batches(columns, 500), "of")).streaming() // 500 rows a batch
                                .to("sql:" + insert + "?batch=true&dataSource=#ds")
                                .end();
                    }
                }
            });
            camel.start();
            var producer = camel.createProducerTemplate();
            long t0 = System.nanoTime();
            for (Path f : files) { // one file after the other, as the hub imports them
                Exchange x = producer.send("direct:" + table(f), e -> {
                    e.getIn().setBody(f.toFile());
                    e.setProperty(Exchange.CHARSET_NAME, "ISO-8859-1");
                });
                if (x.getException() != null) {
                    throw x.getException();
                }
            }
            long t1 = System.nanoTime();
            long inserted = 0;
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                for (Path f : files) {
                    var rs = st.executeQuery("select count(*) from " + table(f));
                    rs.next();
                    inserted += rs.getLong(1);
                }
            }
            if (inserted != rows) {
                throw new IllegalStateException("baseline inserted " + inserted + " rows of " + rows);
            }
            ImportResult r = new ImportResult("baseline", rows, (t1 - t0) / 1e9, -1, -1, stats.peakHeapUsed(),
                    ProcessStats.peakHeapAfterGc(), ProcessStats.maxHeap(), ProcessStats.peakRss(), -1, -1, -1);
            camel.close();
            System.out.println(r.toLine());
        }
        System.exit(0);
    }

    static String table(Path f) {
        return "raw_" + f.getFileName().toString().replaceAll("\\.csv$", "").replaceAll("[^A-Za-z0-9]", "_");
    }

    /** Groups the lazily unmarshalled CSV rows into lists of column → value maps, for camel-sql's batch mode. */
    public static final class Batches {
        private final List<String> columns;
        private final int size;

        Batches(List<String> columns, int size) {
            this.columns = columns;
            this.size = size;
        }

        public Iterator<List<Map<String, Object>>> of(Iterator<List<String>> rows) {
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return rows.hasNext();
                }

                @Override
                public List<Map<String, Object>> next() {
                    List<Map<String, Object>> batch = new ArrayList<>(size);
                    while (rows.hasNext() && batch.size() < size) {
                        List<String> row = rows.next();
                        Map<String, Object> m = new java.util.HashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            m.put(columns.get(i), i < row.size() ? row.get(i) : null);
                        }
                        batch.add(m);
                    }
                    return batch;
                }
            };
        }
    }
}
