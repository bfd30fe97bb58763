package dev.ponte.admin;

import org.junit.jupiter.api.Tag;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.demo.DemoClock;
import dev.ponte.hub.HubTestSupport;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.store.AuditLog;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import io.swagger.v3.parser.OpenAPIV3Parser;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin API on a running hub (issue 19): every endpoint × no key and each role (401 / 403 / 200), refusals in
 * the audit log, the slow-down of repeated failed authentications, the OpenAPI document (valid, and describing
 * exactly the routes served), and keys never stored in clear.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("store")
class AdminApiIT {

    @TempDir
    static Path dataDir;
    static PonteHub hub;
    static DemoClock clock;
    static String base;
    static final Map<Role, String> keys = new EnumMap<>(Role.class);
    static final List<String> everyKey = new ArrayList<>();
    static String patientWithAppointments;
    static Path mappingsCopy;
    static final HttpClient http = HttpClient.newHttpClient();
    static final String VALIDATE = "{\"instance\": \"clinic-db\", \"type\": \"legacy-jdbc\", \"options\": "
            + "{\"url\": \"mysql://10.0.0.5/clinica\", \"password\": \"segredo\", \"batch-size\": \"0\"}}";

    /** Everything the hub logs while this class runs (slf4j-simple writes to System.err). */
    static final java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
    static java.io.PrintStream originalErr;

    @BeforeAll
    static void start() throws Exception {
        originalErr = System.err;
        java.io.OutputStream both = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                originalErr.write(b);
                synchronized (log) {
                    log.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                originalErr.write(b, off, len);
                synchronized (log) {
                    log.write(b, off, len);
                }
            }
        };
        System.setErr(new java.io.PrintStream(both, true, StandardCharsets.UTF_8));
        clock = new DemoClock(Instant.now(), ZoneId.of("America/Sao_Paulo"));
        // a copy of the shipped mappings: the API saves and rolls back files of the instance's folder
        mappingsCopy = HubTestSupport.copyOf(HubTestSupport.LEGACY_MAPPINGS, dataDir.resolve("mappings-copy"));
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.connectors.legacy.mappings",
                mappingsCopy.toString())), clock).start(true);
        base = "http://127.0.0.1:" + hub.settings().get("ponte.http.port");
        for (Role r : Role.values()) {
            keys.put(r, newKey("test-" + r.label(), r));
        }
        // the demo export: patients, their appointments, packages and charges, and rows the hub rejects
        List<Path> export;
        try (Stream<Path> files = Files.list(HubTestSupport.DEMO_EXPORT)) {
            export = files.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
        }
        HubTestSupport.drop(dataDir.resolve("inbox/legacy"), export.toArray(Path[]::new));
        await("the demo export imported, its bad rows dead letters").atMost(Duration.ofMinutes(3))
                .until(() -> export.stream().allMatch(f -> Files.exists(dataDir.resolve("inbox/legacy/done")
                        .resolve(f.getFileName() + ".report.json")) || Files.exists(dataDir.resolve(
                        "inbox/legacy/failed").resolve(f.getFileName() + ".report.json")))
                        && openDeadLetters().size() >= 3);
        String appointment = hub.database().inTransaction(c -> CanonicalStore.payloads(c, "Appointment")).values()
                .iterator().next();
        patientWithAppointments = Json.MAPPER.readTree(appointment).path("patientId").asText();
    }

    @AfterAll
    static void stop() {
        if (originalErr != null) {
            System.setErr(originalErr);
        }
        if (hub != null) {
            hub.close();
        }
    }

    static String newKey(String name, Role role) {
        String key = hub.database().inTransaction(c -> ApiKeys.create(c, name, role, "test", Instant.now())).key();
        everyKey.add(key);
        return key;
    }

    static List<DeadLetter> openDeadLetters() {
        return hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN));
    }

    static HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        HttpRequest.BodyPublisher p = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        b.method(method, p);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static List<ApiEndpoint> endpoints() {
        return new AdminApi(hub, Json.MAPPER::createObjectNode, dataDir, Clock.systemUTC()).endpoints();
    }

    @Test
    @Order(1)
    void everyEndpointAnswers401WithoutAKey403ToARoleWithoutItsPermissionAnd200ToTheOthers() throws Exception {
        Deque<Long> discardable = new ArrayDeque<>(openDeadLetters().stream().map(DeadLetter::id).toList());
        long replayable = discardable.removeLast();
        List<String> table = new ArrayList<>();
        int n = 0;
        for (ApiEndpoint e : endpoints()) {
            for (Role role : new Role[]{null, Role.VIEWER, Role.OPERATOR, Role.INTEGRATOR, Role.ADMIN}) {
                n++;
                String path = e.path();
                String body = null;
                if (path.startsWith("/api/patients/")) {
                    path = path.replace("{id}", patientWithAppointments);
                }
                if (path.contains("{id}")) {
                    String id = path.startsWith("/api/keys") ? ApiKeys.idOf(newKey("victim-" + n, Role.VIEWER))
                            .orElseThrow() : String.valueOf(path.endsWith("/discard") ? discardable.peekFirst()
                            : replayable);
                    path = path.replace("{id}", id);
                }
                path = path.replace("{instance}", "legacy");
                if (path.equals("/api/mappings/file")) {
                    path += "?instance=legacy&file=pacientes.yaml";
                } else if (path.equals("/api/mappings/history")) {
                    path += "?name=legacy-clinic/pacientes";
                } else if (path.equals("/api/mappings/diff")) {
                    path += "?name=legacy-clinic/pacientes&from=1";
                }
                if (path.equals("/api/connectors/validate")) {
                    body = VALIDATE;
                } else if (path.equals("/api/mappings/rollback")) {
                    body = "{\"name\": \"legacy-clinic/pacientes\", \"version\": 1}";
                } else if (path.startsWith("/api/mappings/")) {
                    body = mappingBody(patientsMapping(), 3).toString();
                }
                if (path.equals("/api/dead-letters/replay")) {
                    body = "{\"rule\": \"no-such-rule\"}";
                }
                if (path.endsWith("/discard")) {
                    body = "{\"reason\": \"duplicate of a corrected row (test)\"}";
                } else if (path.equals("/api/keys") && e.method().equals("POST")) {
                    body = "{\"name\": \"made-by-" + n + "\", \"role\": \"viewer\"}";
                }
                HttpResponse<String> r = call(e.method(), path, role == null ? null : keys.get(role), body);
                int expected = role == null ? 401 : e.permission().grantedTo(role) ? 200 : 403;
                table.add(e.method() + " " + e.path() + " as " + (role == null ? "no key" : role.label()) + ": "
                        + r.statusCode() + (r.statusCode() == expected ? "" : " (expected " + expected + ": "
                        + r.body() + ")"));
                if (expected == 200 && path.endsWith("/discard") && r.statusCode() == 200) {
                    discardable.removeFirst();
                }
                if (expected == 200 && e.path().equals("/api/keys") && e.method().equals("POST")) {
                    everyKey.add(Json.MAPPER.readTree(r.body()).path("key").asText());
                }
            }
        }
        assertThat(table).as(String.join("\n", table)).allMatch(l -> !l.contains("expected"));
        assertThat(table).hasSize(endpoints().size() * 5);
    }

    @Test
    @Order(2)
    void refusalsAreAuditedWithWhoAndWhyAndChangeNothing() throws Exception {
        long id = openDeadLetters().get(0).id();

        HttpResponse<String> none = call("GET", "/api/status", null, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ponte\"");
        assertThat(none.headers().firstValue("Authorization")).isEmpty();
        HttpResponse<String> viewer = call("POST", "/api/dead-letters/" + id + "/discard", keys.get(Role.VIEWER),
                "{\"reason\": \"x\"}");
        assertThat(viewer.statusCode()).isEqualTo(403);
        assertThat(viewer.body()).contains("role viewer may not do this", "admin", "operator");

        List<AuditLog.Entry> recent = hub.database().inTransaction(c -> AuditLog.recent(c, 5));
        assertThat(recent).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("api.refused");
            assertThat(a.actor()).startsWith("apikey:test-viewer (");
            assertThat(a.target()).isEqualTo("POST /api/dead-letters/{id}/discard");
            assertThat(a.detail()).isEqualTo("403 role viewer lacks OPERATE");
        });
        assertThat(recent).anySatisfy(a -> {
            assertThat(a.actor()).isEqualTo("anonymous@127.0.0.1");
            assertThat(a.detail()).isEqualTo("401 no API key");
        });
        assertThat(openDeadLetters()).extracting(DeadLetter::id).contains(id);
        assertThat(hub.database().inTransaction(AuditLog::verify)).isEmpty();
    }

    @Test
    @Order(3)
    void aConnectorConfigurationIsCheckedDryWithEveryProblemNamingItsKey() throws Exception {
        HttpResponse<String> r = call("POST", "/api/connectors/validate", keys.get(Role.INTEGRATOR), VALIDATE);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode v = Json.MAPPER.readTree(r.body());
        assertThat(v.path("valid").asBoolean()).isFalse();
        List<String> problems = new ArrayList<>();
        v.path("problems").forEach(p -> problems.add(p.asText()));
        assertThat(problems).anyMatch(p -> p.startsWith("ponte.connectors.clinic-db.url"))
                .anyMatch(p -> p.startsWith("ponte.connectors.clinic-db.mappings"))
                .anyMatch(p -> p.startsWith("ponte.connectors.clinic-db.batch-size"));
        assertThat(r.body()).doesNotContain("segredo");

        HttpResponse<String> legacy = call("GET", "/api/connectors/legacy", keys.get(Role.VIEWER), null);
        assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);
        JsonNode d = Json.MAPPER.readTree(legacy.body());
        assertThat(d.path("type").asText()).isEqualTo("legacy-csv");
        assertThat(d.path("options").findValuesAsText("key")).contains("mappings", "inbox");
        assertThat(call("GET", "/api/connectors/nope", keys.get(Role.VIEWER), null).statusCode()).isEqualTo(404);
    }

    static String patientsMapping() throws Exception {
        return Files.readString(HubTestSupport.LEGACY_MAPPINGS.resolve("pacientes.yaml"));
    }

    static List<JsonNode> history() throws Exception {
        HttpResponse<String> h = call("GET", "/api/mappings/history?name=legacy-clinic/pacientes", keys.get(Role.VIEWER),
                null);
        assertThat(h.statusCode()).as(h.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        Json.MAPPER.readTree(h.body()).forEach(out::add);
        return out;
    }

    static com.fasterxml.jackson.databind.node.ObjectNode mappingBody(String text, int limit) throws Exception {
        List<String> lines = Files.readAllLines(HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"),
                StandardCharsets.ISO_8859_1);
        return Json.MAPPER.createObjectNode().put("instance", "legacy").put("file", "pacientes.yaml")
                .put("text", text).put("sampleName", "pacientes.csv")
                .put("sample", String.join("\n", lines.subList(0, 6))).put("limit", limit);
    }

    @Test
    @Order(4)
    void anEditedMappingIsCheckedWithItsProblemAtItsLineThenPreviewedMasked() throws Exception {
        String good = patientsMapping();
        List<String> lines = new ArrayList<>(good.lines().toList());
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("  cpf:")).findFirst().orElseThrow());
        lines.set(at, "  cpf: {from: CPF, transforms: [digitz]}");
        String broken = String.join("\n", lines) + "\n";

        HttpResponse<String> refused = call("POST", "/api/mappings/check", keys.get(Role.INTEGRATOR),
                mappingBody(broken, 3).toString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
        JsonNode c = Json.MAPPER.readTree(refused.body());
        assertThat(c.path("valid").asBoolean()).isFalse();
        assertThat(c.path("problems")).isNotEmpty();
        assertThat(c.path("problems").get(0).path("line").asInt()).as(refused.body()).isEqualTo(at + 1);
        assertThat(c.path("problems").get(0).path("message").asText()).contains("digitz");

        HttpResponse<String> preview = call("POST", "/api/mappings/preview", keys.get(Role.INTEGRATOR),
                mappingBody(good, 4).toString());
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        JsonNode p = Json.MAPPER.readTree(preview.body());
        assertThat(p.path("valid").asBoolean()).as(preview.body()).isTrue();
        assertThat(p.path("id").asText()).isEqualTo("legacy-clinic/pacientes@1");
        assertThat(p.path("rows")).hasSize(4);
        JsonNode first = p.path("rows").get(0);
        assertThat(first.path("status").asText()).as(first.toString()).isEqualTo("ok");
        assertThat(first.path("entity").path("name").asText()).isNotBlank();
        String rawCpf = Files.readAllLines(HubTestSupport.DEMO_EXPORT.resolve("pacientes.csv"),
                StandardCharsets.ISO_8859_1).get(1).split(";")[2].replaceAll("\\D", "");
        assertThat(preview.body()).doesNotContain(rawCpf);
        assertThat(first.path("entity").path("cpf").asText()).isNotEqualTo(rawCpf);

        List<AuditLog.Entry> previewed = hub.database().inTransaction(tx -> AuditLog.recent(tx, 3));
        assertThat(previewed).anySatisfy(a -> assertThat(a.action()).isEqualTo("mapping.preview"));
        call("GET", "/api/messages?status=BLOCKED", keys.get(Role.VIEWER), null);
        call("GET", "/api/invoices", keys.get(Role.VIEWER), null);
        List<AuditLog.Entry> reads = hub.database().inTransaction(tx -> AuditLog.recent(tx, 2));
        assertThat(reads).extracting(AuditLog.Entry::action).containsExactly("invoices.list", "messages.list");
        HttpResponse<String> listed = call("GET", "/api/mappings", keys.get(Role.VIEWER), null);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(listed.body()).get(0).path("mappings").findValuesAsText("id"))
                .contains("legacy-clinic/pacientes@1");
        // a check and a preview write nothing to the instance's folder
        assertThat(Files.readString(mappingsCopy.resolve("pacientes.yaml"))).isEqualTo(good);

        // saved: refused while broken (the file unchanged), written when it passes; the hub reloads it and records it
        HttpResponse<String> refusedSave = call("POST", "/api/mappings/save", keys.get(Role.INTEGRATOR),
                mappingBody(broken, 3).toString());
        assertThat(Json.MAPPER.readTree(refusedSave.body()).path("saved").asBoolean()).isFalse();
        assertThat(Files.readString(mappingsCopy.resolve("pacientes.yaml"))).isEqualTo(good);
        String edited = good.replace("# Pacientes da exportação do sistema legado.",
                "# Pacientes da exportação do sistema legado (revisado).").replace("\nversion: 1\n", "\nversion: 2\n");
        HttpResponse<String> saved = call("POST", "/api/mappings/save", keys.get(Role.INTEGRATOR),
                mappingBody(edited, 3).toString());
        assertThat(Json.MAPPER.readTree(saved.body()).path("saved").asBoolean()).as(saved.body()).isTrue();
        assertThat(Files.readString(mappingsCopy.resolve("pacientes.yaml"))).isEqualTo(edited);
        await("the saved file reloaded and recorded").atMost(Duration.ofSeconds(60))
                .until(() -> history().size() >= 2);
        HttpResponse<String> diff = call("GET", "/api/mappings/diff?name=legacy-clinic/pacientes&from=1",
                keys.get(Role.VIEWER), null);
        assertThat(diff.body()).contains("(revisado)");
        HttpResponse<String> rollback = call("POST", "/api/mappings/rollback", keys.get(Role.INTEGRATOR),
                "{\"name\": \"legacy-clinic/pacientes\", \"version\": 1}");
        assertThat(rollback.statusCode()).as(rollback.body()).isEqualTo(200);
        assertThat(Files.readString(mappingsCopy.resolve("pacientes.yaml"))).as("version 1 is back").isEqualTo(good);
        assertThat(history()).extracting(h -> h.path("version").asInt()).contains(1, 2);
        assertThat(call("GET", "/api/mappings/diff?name=legacy-clinic/pacientes&from=9", keys.get(Role.VIEWER),
                null).statusCode()).isEqualTo(404);
        List<AuditLog.Entry> audited = hub.database().inTransaction(tx -> AuditLog.recent(tx, 10));
        assertThat(audited).extracting(AuditLog.Entry::action).contains("mapping.save", "mapping.rollback");
    }

    @Test
    @Order(5)
    void patient360ShowsEveryRecordOfOnePatientMaskedAndUnmaskedOnlyForAnAdminWithAReason() throws Exception {
        String id = patientWithAppointments;
        String raw = hub.database().inTransaction(c -> CanonicalStore.payload(c, "Patient", id)).orElseThrow();
        String cpf = Json.MAPPER.readTree(raw).path("cpf").asText();

        HttpResponse<String> masked = call("GET", "/api/patients/" + id, keys.get(Role.VIEWER), null);
        assertThat(masked.statusCode()).as(masked.body()).isEqualTo(200);
        JsonNode v = Json.MAPPER.readTree(masked.body());
        assertThat(v.path("masked").asBoolean()).isTrue();
        assertThat(v.path("sourceIds").path("legacy-clinic").asText()).isNotBlank();
        assertThat(v.path("records").path("Appointment")).isNotEmpty();
        assertThat(v.path("appointments").path("past").asInt() + v.path("appointments").path("future").asInt())
                .isEqualTo(v.path("records").path("Appointment").size());
        v.path("records").fields().forEachRemaining(e -> e.getValue().forEach(r -> {
            if (r.has("patientId")) {
                assertThat(r.path("patientId").asText()).as(e.getKey() + " of another patient").isEqualTo(id);
            }
        }));
        if (!cpf.isBlank()) {
            assertThat(masked.body()).doesNotContain(cpf);
        }

        HttpResponse<String> viewerUnmasked = call("GET", "/api/patients/" + id + "?unmasked=true&reason=x",
                keys.get(Role.VIEWER), null);
        assertThat(viewerUnmasked.statusCode()).isEqualTo(403);
        assertThat(call("GET", "/api/patients/" + id + "?unmasked=true", keys.get(Role.ADMIN), null).statusCode())
                .isEqualTo(400);
        HttpResponse<String> unmasked = call("GET", "/api/patients/" + id
                + "?unmasked=true&reason=patient%20asked%20for%20her%20record", keys.get(Role.ADMIN), null);
        assertThat(unmasked.statusCode()).as(unmasked.body()).isEqualTo(200);
        if (!cpf.isBlank()) {
            assertThat(unmasked.body()).contains(cpf);
        }
        List<AuditLog.Entry> recent = hub.database().inTransaction(c -> AuditLog.recent(c, 10));
        assertThat(recent).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("patient.read-unmasked");
            assertThat(a.target()).isEqualTo("patient/" + id);
            assertThat(a.why()).isEqualTo("patient asked for her record");
            assertThat(a.actor()).startsWith("apikey:test-admin");
        });
        assertThat(recent).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("patient.read");
            assertThat(a.actor()).startsWith("apikey:test-viewer");
        });
        assertThat(recent).anySatisfy(a -> assertThat(a.detail()).contains("may not see patient " + id + " unmasked"));
        assertThat(call("GET", "/api/patients/no-such-patient", keys.get(Role.VIEWER), null).statusCode())
                .isEqualTo(404);
    }

    @Test
    @Order(6)
    void aMaskedDeadLetterAndAnAuditedRead() throws Exception {
        DeadLetter d = openDeadLetters().get(0);
        HttpResponse<String> r = call("GET", "/api/dead-letters/" + d.id(), keys.get(Role.VIEWER), null);

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode shown = Json.MAPPER.readTree(r.body());
        assertThat(shown.path("id").asLong()).isEqualTo(d.id());
        JsonNode raw = Json.MAPPER.readTree(d.payload()).path("values");
        String cpf = raw.path("CPF").asText();
        if (!cpf.isBlank()) {
            assertThat(r.body()).doesNotContain(cpf);
        }
        List<AuditLog.Entry> recent = hub.database().inTransaction(c -> AuditLog.recent(c, 3));
        assertThat(recent).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("dlq.show");
            assertThat(a.target()).isEqualTo("dead-letter/" + d.id());
        });
        if (!cpf.isBlank()) {
            assertThat(call("GET", "/api/dead-letters/" + d.id() + "?unmasked=true&reason=x", keys.get(Role.OPERATOR),
                    null).statusCode()).isEqualTo(403);
            HttpResponse<String> raw2 = call("GET", "/api/dead-letters/" + d.id()
                    + "?unmasked=true&reason=fixing%20the%20export", keys.get(Role.ADMIN), null);
            assertThat(raw2.statusCode()).isEqualTo(200);
            assertThat(raw2.body()).contains(cpf);
            List<AuditLog.Entry> last = hub.database().inTransaction(c -> AuditLog.recent(c, 1));
            assertThat(last.get(0).action()).isEqualTo("dlq.show-unmasked");
            assertThat(last.get(0).why()).isEqualTo("fixing the export");
        }
        // a rule's dead letters replayed at once: the data is still wrong, so each is still rejected and stays open
        String rule = openDeadLetters().get(0).rules().get(0);
        long ofRule = openDeadLetters().stream().filter(x -> x.rules().contains(rule)).count();
        HttpResponse<String> many = call("POST", "/api/dead-letters/replay", keys.get(Role.OPERATOR),
                "{\"rule\": \"" + rule + "\"}");
        assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(many.body()).path("results")).hasSize((int) ofRule);
        assertThat(call("POST", "/api/dead-letters/replay", keys.get(Role.OPERATOR), "{\"all\": true, \"rule\": \"x\"}")
                .statusCode()).isEqualTo(400);
        assertThat(call("GET", "/api/dead-letters/999999", keys.get(Role.VIEWER), null).statusCode()).isEqualTo(404);
        assertThat(call("GET", "/api/dead-letters/abc", keys.get(Role.VIEWER), null).statusCode()).isEqualTo(400);
    }

    @Test
    @Order(7)
    void repeatedFailedAuthenticationsFromOneAddressAreSlowedDown() throws Exception {
        String forged = "ponte_aaaaaaaaaaaa_" + "A".repeat(43);
        for (int i = 0; i < FailedAttempts.LIMIT; i++) {
            assertThat(call("GET", "/api/status", forged, null).statusCode()).isEqualTo(401);
        }
        HttpResponse<String> blocked = call("GET", "/api/status", forged, null);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        // a key already verified still passes (a colleague behind the same address is not locked out); one never
        // verified waits, without the slow hash
        assertThat(call("GET", "/api/status", keys.get(Role.ADMIN), null).statusCode()).isEqualTo(200);
        String fresh = newKey("fresh-" + System.nanoTime(), Role.VIEWER);
        assertThat(call("GET", "/api/status", fresh, null).statusCode()).isEqualTo(429);

        clock.advance(FailedAttempts.WINDOW.plusSeconds(1));
        assertThat(call("GET", "/api/status", fresh, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/status?authorization=Bearer%20" + fresh, null, null).statusCode())
                .as("a key in the URL").isEqualTo(400);
        HttpResponse<String> spec = call("GET", AdminApi.OPENAPI_PATH + "?Refresh=0;url=https://evil.example", null,
                null);
        assertThat(spec.headers().firstValue("Refresh")).as("no query parameter comes back as a header").isEmpty();
    }

    @Test
    @Order(8)
    void theOpenApiDocumentIsValidAndDescribesExactlyTheRoutesServed() throws Exception {
        HttpResponse<String> r = call("GET", AdminApi.OPENAPI_PATH, null, null);
        assertThat(r.statusCode()).isEqualTo(200);

        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(r.body());
        assertThat(parsed.getMessages()).as("the validator's messages").isEmpty();
        assertThat(parsed.getOpenAPI().getPaths()).isNotNull();

        Set<String> served = hub.camel().getRoutes().stream().map(route -> route.getEndpoint())
                .filter(ep -> ep instanceof PlatformHttpEndpoint)
                .map(ep -> ((PlatformHttpEndpoint) ep).getPath())
                .filter(path -> path.startsWith("/api/"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(new TreeSet<>(parsed.getOpenAPI().getPaths().keySet())).isEqualTo(served);
        Map<String, Set<String>> methods = new HashMap<>();
        parsed.getOpenAPI().getPaths().forEach((p, item) -> methods.put(p, item.readOperationsMap().keySet().stream()
                .map(Enum::name).collect(Collectors.toSet())));
        for (ApiEndpoint e : endpoints()) {
            assertThat(methods.get(e.path())).as(e.path()).contains(e.method());
        }
    }

    @Test
    @Order(9)
    void aRevokedKeyIsRefusedAndNoKeyIsStoredInClear() throws Exception {
        String key = newKey("to-revoke", Role.VIEWER);
        assertThat(call("GET", "/api/status", key, null).statusCode()).isEqualTo(200);
        String id = ApiKeys.idOf(key).orElseThrow();
        assertThat(call("DELETE", "/api/keys/" + id, keys.get(Role.ADMIN), null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/api/status", key, null).statusCode()).isEqualTo(401);

        hub.close();
        hub = null;
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String k : everyKey) {
                    String secret = k.substring("ponte_".length() + 13);
                    assertThat(secret).hasSize(43);
                    if (bytes.contains(secret)) {
                        found.add(f + " holds the secret of " + k.substring(0, 18));
                    }
                }
            }
        }
        assertThat(everyKey).hasSizeGreaterThan(5);
        assertThat(found).as("files of the data directory holding a key in clear").isEmpty();
        String logged;
        synchronized (log) {
            logged = log.toString(StandardCharsets.UTF_8);
        }
        assertThat(logged).as("the hub's log while the API ran").isNotEmpty();
        for (String k : everyKey) {
            assertThat(logged).as("the log holds a key in clear").doesNotContain(k.substring("ponte_".length() + 13));
        }
    }
}
