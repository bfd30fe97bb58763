package dev.ponte.hub;

import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code /metrics} after an import, read by a strict Prometheus text-format parser (issue 19). */
class MetricsIT {

    @TempDir
    Path dataDir;
    PonteHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(true);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void anImportShowsInTheRecordDeadLetterRouteQueueAndJvmSeries() throws Exception {
        HubTestSupport.drop(dataDir.resolve("inbox/legacy"), HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"));
        await("the patients file imported").atMost(Duration.ofMinutes(2))
                .until(() -> Files.exists(dataDir.resolve("inbox/legacy/done/pacientes.csv.report.json")));
        long open = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).size();

        // the daily reconciliation of yesterday, as the flow runs it: its counts become gauges
        java.time.ZoneId zone = java.time.ZoneId.of("America/Sao_Paulo");
        dev.ponte.reconcile.ReconciliationRun.Result reconciled = dev.ponte.reconcile.ReconciliationRun.run(
                hub.database(), new dev.ponte.reconcile.Reconciliation(zone, null),
                java.time.LocalDate.now(zone).minusDays(1), dataDir.resolve("reports"), "test", "clinic",
                java.time.Instant.now());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + hub.settings().get("ponte.http.port") + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/plain; version=0.0.4"));
        PrometheusText m = PrometheusText.parse(r.body());

        assertThat(m.types).containsEntry("ponte_records_total", "counter")
                .containsEntry("ponte_dead_letters_open", "gauge")
                .containsEntry("camel_route_policy_seconds", "histogram");
        double created = m.matching("ponte_records_total", Map.of("connector", "legacy", "outcome", "created"))
                .stream().mapToDouble(PrometheusText.Sample::value).sum();
        double rejected = m.matching("ponte_records_total", Map.of("connector", "legacy", "outcome", "rejected"))
                .stream().mapToDouble(PrometheusText.Sample::value).sum();
        long rows = Files.readAllLines(HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"),
                java.nio.charset.StandardCharsets.ISO_8859_1).size() - 1;
        assertThat(created).isPositive();
        assertThat(rejected).isPositive();
        assertThat(m.matching("ponte_records_total", Map.of("connector", "legacy")).stream()
                .mapToDouble(PrometheusText.Sample::value).sum()).as("every data row counted once").isEqualTo(rows);
        assertThat(m.matching("ponte_records_total", Map.of("connector", "legacy")))
                .allSatisfy(s -> assertThat(s.labels().get("mapping")).isNotBlank());
        assertThat(m.matching("ponte_dead_letters_open", Map.of()).stream().mapToDouble(PrometheusText.Sample::value)
                .sum()).isEqualTo(open);
        assertThat(m.value("camel_exchanges_total", Map.of("camelContext", "ponte", "eventType", "route",
                "kind", "CamelRoute", "routeId", "legacy-inbound"))).isPositive();
        assertThat(m.matching("camel_route_policy_seconds_bucket", Map.of("routeId", "legacy-inbound"))).isNotEmpty();
        assertThat(m.matching("ponte_queue_messages", Map.of("queue", "ponte.in.legacy"))).singleElement()
                .satisfies(s -> assertThat(s.value()).isGreaterThanOrEqualTo(0));
        assertThat(m.value("ponte_events_unpublished", Map.of())).isGreaterThanOrEqualTo(0);
        assertThat(m.value("ponte_db_pool_max", Map.of())).isPositive();
        assertThat(m.matching("ponte_source_last_import_seconds", Map.of("system", "legacy-clinic"))).isNotEmpty();
        assertThat(m.value("ponte_connector_last_inbound_seconds", Map.of("connector", "legacy")))
                .isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(300.0));
        assertThat(m.matching("jvm_memory_used_bytes", Map.of())).isNotEmpty();
        reconciled.counts().forEach((rule, n) -> assertThat(m.value("ponte_reconciliation_findings",
                Map.of("rule", rule))).as(rule).isEqualTo(n.doubleValue()));
        assertThat(m.value("ponte_reconciliation_day_seconds", Map.of()))
                .isEqualTo(reconciled.day().toEpochDay() * 86_400.0);
        assertThat(r.body()).doesNotContain("CPF", "cpf=");
    }
}
