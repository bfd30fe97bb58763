package dev.ponte.hub;

import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.inbound.RowResult;
import dev.ponte.spi.InboundChunk;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.ImportRuns;
import dev.ponte.store.Messages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hub's metrics, served at {@code /metrics} in Prometheus text format (README "Metrics"): records taken in per
 * connector, mapping and outcome (counted as each chunk commits); what the store and the broker hold (open dead letters
 * by rule, unpublished events, messages by status, the last import of each source, queue depths, the database pool),
 * read when scraped; Camel's route metrics (every sink's deliveries, failures and latency histogram:
 * {@code routeId="<instance>-sink"}); JVM basics.
 */
final class HubMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(HubMetrics.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Database db;
    private final EmbeddedBroker broker;
    private final MultiGauge deadLetters;
    private final MultiGauge messages;
    private final MultiGauge lastImport;
    private final MultiGauge queues;
    private final AtomicLong unpublished = new AtomicLong();
    private final AtomicLong poolActive = new AtomicLong();
    private final AtomicLong poolMax = new AtomicLong();
    private final MultiGauge reconciliation;
    private final MultiGauge lastInbound;
    private final Map<String, Long> lastInboundAt = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong reconciledDay = new AtomicLong();
    private final java.nio.file.Path reports;
    private java.nio.file.attribute.FileTime reportRead;

    /**
     * @param broker  the embedded broker, or {@code null} with an external one (its queues are not shown)
     * @param reports where the daily reconciliation writes its reports ({@code reconcile-<day>.json})
     */
    HubMetrics(Database db, EmbeddedBroker broker, java.nio.file.Path reports) {
        this.db = db;
        this.broker = broker;
        this.reports = reports;
        // Camel's route timers as histograms (a latency histogram per sink), not only count and sum
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().startsWith("camel.route.policy")
                        ? DistributionStatisticConfig.builder().percentilesHistogram(true).build().merge(config)
                        : config;
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        deadLetters = MultiGauge.builder("ponte.dead.letters.open").description("Open dead letters, by rule")
                .register(registry);
        messages = MultiGauge.builder("ponte.messages").description("Messages to patients, by status")
                .register(registry);
        lastImport = MultiGauge.builder("ponte.source.last.import").baseUnit("seconds")
                .description("When each source system's last import run started (Unix time)").register(registry);
        queues = MultiGauge.builder("ponte.queue.messages").description("Messages held per broker queue")
                .register(registry);
        lastInbound = MultiGauge.builder("ponte.connector.last.inbound").baseUnit("seconds")
                .description("When a message of each source connector last went through the hub and committed (Unix"
                        + " time; since this hub started)").register(registry);
        reconciliation = MultiGauge.builder("ponte.reconciliation.findings")
                .description("Findings of the latest daily reconciliation, by rule").register(registry);
        Gauge.builder("ponte.reconciliation.day", reconciledDay, AtomicLong::get).baseUnit("seconds")
                .description("The day the latest reconciliation looked at (Unix time of its start, UTC)")
                .register(registry);
        Gauge.builder("ponte.events.unpublished", unpublished, AtomicLong::get)
                .description("Events in the outbox not yet on ponte.events").register(registry);
        Gauge.builder("ponte.db.pool.active", poolActive, AtomicLong::get)
                .description("Database connections in use").register(registry);
        Gauge.builder("ponte.db.pool.max", poolMax, AtomicLong::get)
                .description("Database connections at most").register(registry);
    }

    /** The registry Camel's route policy writes into. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts the rows of one inbound message after it committed. */
    void processed(String instance, Object message, List<RowResult> results) {
        lastInboundAt.put(instance, System.currentTimeMillis() / 1000);
        String mapping = message instanceof InboundChunk chunk ? chunk.mapping() : "change";
        for (RowResult r : results) {
            Counter.builder("ponte.records").description("Records taken in, by connector, mapping and outcome")
                    .tags("connector", instance, "mapping", String.valueOf(mapping), "outcome",
                            r.outcome().name().toLowerCase(java.util.Locale.ROOT))
                    .register(registry).increment();
        }
    }

    /** The Prometheus text of every metric, what the store and the broker hold read now. */
    String scrape() {
        try {
            db.read(c -> {
                deadLetters.register(rows(DeadLetters.openByRule(c), "rule"), true);
                messages.register(rows(Messages.countsByStatus(c), "status"), true);
                Map<String, java.time.Instant> last = ImportRuns.lastImportBySystem(c);
                lastImport.register(last.entrySet().stream().map(e -> MultiGauge.Row.of(Tags.of("system", e.getKey()),
                        e.getValue().getEpochSecond())).toList(), true);
                unpublished.set(EventOutbox.countUnpublished(c));
                return null;
            });
        } catch (RuntimeException e) {
            // the scrape still answers, with the last values: /health says what is wrong with the database
            LOG.warn("metrics: the store could not be read ({}); its gauges keep their last values", e.getClass()
                    .getSimpleName());
        }
        if (broker != null) {
            queues.register(rows(broker.queueDepths(), "queue"), true);
        }
        readReconciliation();
        lastInbound.register(rows(lastInboundAt, "connector"), true);
        int[] pool = db.poolUsage();
        if (pool != null) {
            poolActive.set(pool[0]);
            poolMax.set(pool[1]);
        }
        return registry.scrape();
    }

    /** The counts of the newest reconciliation report, read again only when it changed. */
    private synchronized void readReconciliation() {
        if (!java.nio.file.Files.isDirectory(reports)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(reports)) {
            java.util.Optional<java.nio.file.Path> newest = files.filter(f -> f.getFileName().toString()
                    .matches("reconcile-\\d{4}-\\d{2}-\\d{2}\\.json")).max(java.util.Comparator.naturalOrder());
            if (newest.isEmpty()) {
                return;
            }
            java.nio.file.attribute.FileTime modified = java.nio.file.Files.getLastModifiedTime(newest.get());
            if (modified.equals(reportRead)) {
                return;
            }
            com.fasterxml.jackson.databind.JsonNode report = dev.ponte.json.Json.MAPPER.readTree(newest.get().toFile());
            java.util.Map<String, Long> counts = new java.util.TreeMap<>();
            report.path("counts").fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
            reconciliation.register(rows(counts, "rule"), true);
            reconciledDay.set(java.time.LocalDate.parse(report.path("day").asText()).toEpochDay() * 86_400L);
            reportRead = modified;
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("metrics: the reconciliation report in {} could not be read ({})", reports,
                    e.getClass().getSimpleName());
        }
    }

    private static List<MultiGauge.Row<?>> rows(Map<String, Long> counts, String tag) {
        return counts.entrySet().stream().<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()),
                e.getValue())).toList();
    }
}
