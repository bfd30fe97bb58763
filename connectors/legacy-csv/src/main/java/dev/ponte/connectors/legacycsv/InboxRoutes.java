package dev.ponte.connectors.legacycsv;

import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.Mappings;
import dev.ponte.spi.SourceMapping;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;

/** The inbox of one legacy-csv instance: files taken in reference order, rows sent to the hub in chunks. */
final class InboxRoutes extends RouteBuilder {

    private final ConnectorContext ctx;
    private volatile String currentRun;
    /** File names of the current run (the route has one consumer thread). */
    private final java.util.Set<String> filesInRun = new java.util.HashSet<>();
    private long runs;

    InboxRoutes(ConnectorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void configure() throws IOException {
        String instance = ctx.instance();
        Path inbox = ctx.config().path("inbox").toAbsolutePath();
        Files.createDirectories(inbox.resolve("done"));
        Files.createDirectories(inbox.resolve("failed"));
        String sorter = instance + "-reference-order";
        getContext().getRegistry().bind(sorter, referenceOrder());
        CsvFileEnqueuer enqueuer = new CsvFileEnqueuer(ctx, ctx.config().integer("chunk-size"));

        // the file moves to failed/ with a report; one warning line instead of the error handler's stack trace
        onException(Exception.class).handled(false).logExhausted(false).logStackTrace(false)
                .process(e -> writeFailure(e, inbox));

        fromF("file:%s?include=%s&sorter=#%s&maxMessagesPerPoll=0&eagerMaxMessagesPerPoll=false"
                        + "&move=done/${file:name}&moveFailed=failed/${file:name}&readLock=changed"
                        + "&readLockCheckInterval=500&readLockMinAge=500&readLockMinLength=0&delay=%d&noop=false",
                inbox, ctx.config().string("file-pattern"), sorter, ctx.config().millis("poll-delay"))
                .routeId(instance + "-inbox")
                .process(exchange -> {
                    Integer index = exchange.getProperty(Exchange.BATCH_INDEX, Integer.class);
                    Path file = Path.of(exchange.getIn().getHeader(Exchange.FILE_PATH, String.class));
                    // one run per poll; a file of the same name again (dropped anew while its poll was running) starts
                    // a new run, since a run counts each file name once
                    if (currentRun == null || index == null || index == 0
                            || !filesInRun.add(file.getFileName().toString())) {
                        currentRun = instance + "-" + LocalDateTime.now()
                                .format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS")) + "-" + (++runs);
                        filesInRun.clear();
                        filesInRun.add(file.getFileName().toString());
                    }
                    // a file that carries several entities goes once per mapping, referenced entities first
                    for (SourceMapping mapping : CsvFileEnqueuer.mappingsFor(file, ctx.mappings())) {
                        long rows = enqueuer.enqueue(file, mapping, currentRun, inbox.resolve("done"), n -> { });
                        log.info("{}: {} rows of {} sent to the hub (run {}, {})", instance, rows,
                                file.getFileName(), currentRun, mapping.id());
                    }
                });
    }

    /**
     * Files in the order their entities are referenced: the reference depth of the deepest mapping that reads the
     * file (a file of patients and appointments comes after the procedures its appointments name), then the name.
     */
    private Comparator<GenericFile<Object>> referenceOrder() {
        return Comparator.comparingInt((GenericFile<Object> f) -> {
            Mappings set = ctx.mappings();
            java.util.List<SourceMapping> readers;
            try {
                readers = set.forFile(f.getFileNameOnly());
            } catch (dev.ponte.spi.SourceReadException ambiguous) {
                return Integer.MAX_VALUE; // fails, with its reason, when its turn comes
            }
            java.util.List<String> order = set.inReferenceOrder().stream().map(SourceMapping::name).toList();
            return readers.isEmpty() ? Integer.MAX_VALUE : order.indexOf(readers.get(readers.size() - 1).name());
        }).thenComparing(GenericFile::getFileNameOnly);
    }

    private void writeFailure(Exchange exchange, Path inbox) throws IOException {
        String name = exchange.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Map<String, Object> report = Map.of("file", String.valueOf(name), "status", "failed",
                "error", String.valueOf(cause == null ? "unknown" : cause.getMessage()));
        log.warn("{}: {} moved to failed/ ({})", ctx.instance(), name, report.get("error"));
        Files.writeString(inbox.resolve("failed").resolve(name + ".report.json"),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
}
