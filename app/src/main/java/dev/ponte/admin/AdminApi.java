package dev.ponte.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static dev.ponte.admin.Permission.ADMINISTER;
import static dev.ponte.admin.Permission.CONFIGURE;
import static dev.ponte.admin.Permission.OPERATE;
import static dev.ponte.admin.Permission.READ;

/**
 * The admin API under {@code /api} on the hub's HTTP server (README "Admin API"): JSON, an API key in
 * {@code Authorization: Bearer <key>} whose role must have the endpoint's {@link Permission}. No key or a wrong one →
 * 401, a role without the permission → 403; both are written to the audit log, and an address that failed
 * {@link FailedAttempts#LIMIT} times within a minute gets 429 until the minute is over. {@code /api/openapi.json}
 * (no key needed: it holds no data) describes every endpoint, from the same list the routes are made of.
 */
public final class AdminApi extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    static final String OPENAPI_PATH = "/api/openapi.json";
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final PonteHub hub;
    private final Database db;
    private final Supplier<ObjectNode> health;
    private final Path dataDir;
    private final Clock clock;
    private final ApiKeys keys = new ApiKeys();
    private final FailedAttempts failures = new FailedAttempts();
    private final List<ApiEndpoint> endpoints;
    private final MappingWorkbench mappings;
    private volatile PatientView patients;

    public AdminApi(PonteHub hub, Supplier<ObjectNode> health, Path dataDir, Clock clock) {
        this.hub = hub;
        this.db = hub.database();
        this.health = health;
        this.dataDir = dataDir;
        this.clock = clock;
        this.mappings = new MappingWorkbench(hub.connectors(), Clock.systemDefaultZone());
        this.endpoints = endpoints();
    }

    /** Every endpoint: the routes and the OpenAPI document are made from this list. */
    List<ApiEndpoint> endpoints() {
        List<ApiEndpoint.Query> dlqFilters = List.of(
                new ApiEndpoint.Query("rule", "only dead letters with this rule id, e.g. cpf-check-digit"),
                new ApiEndpoint.Query("connector", "only those of this connector instance"),
                new ApiEndpoint.Query("status", "OPEN (default), REPLAYED, DISCARDED, REPLAY_REQUESTED"));
        return List.of(
                new ApiEndpoint("GET", "/api/status", READ, "What the hub holds: records per entity, events, open dead "
                        + "letters by rule, sources, last import, messages, review list, billing, packages",
                        List.of(), null, r -> db.inTransaction(c -> StatusReport.of(c, dataDir))),
                new ApiEndpoint("GET", "/api/connectors", READ, "The configured connector instances: type, version, "
                        + "direction, entities read and written, sandbox, health", List.of(), null,
                        r -> connectors()),
                new ApiEndpoint("GET", "/api/connectors/{instance}", READ, "One instance's descriptor: every option "
                        + "(type, required, default, secret, what values it takes) and its configured values, secrets "
                        + "never shown", List.of(), null, this::connector),
                new ApiEndpoint("POST", "/api/connectors/validate", CONFIGURE, "Dry-run of a connector configuration: "
                        + "every problem, each naming its key, as the hub would refuse it at start-up; nothing is saved"
                        + " or connected to", List.of(), "{\"instance\": \"clinic-db\", \"type\": \"legacy-jdbc\", "
                        + "\"options\": {\"url\": \"jdbc:mysql://10.0.0.5/clinica\", \"mappings\": \"/etc/ponte/"
                        + "mappings/clinic-db\"}}", this::validateConnector),
                new ApiEndpoint("GET", "/api/dead-letters", READ, "Dead letters (without payload), filtered",
                        dlqFilters, null, this::listDeadLetters),
                new ApiEndpoint("GET", "/api/dead-letters/{id}", READ, "One dead letter with its violations and "
                        + "payload, values of sensitive fields masked; an admin may ask the payload unmasked with a "
                        + "reason. Every read is audited", List.of(new ApiEndpoint.Query("unmasked", "true for the "
                        + "payload as received (role admin only, with reason)"), new ApiEndpoint.Query("reason",
                        "why it is needed unmasked (written to the audit log)")), null, this::showDeadLetter),
                new ApiEndpoint("POST", "/api/dead-letters/{id}/replay", OPERATE, "Replay one open dead letter "
                        + "through the current mapping (an outbound command: to its sink again)", List.of(), null,
                        this::replay),
                new ApiEndpoint("POST", "/api/dead-letters/replay", OPERATE, "Replay every open dead letter of a rule, "
                        + "or all of them: the result of each", List.of(), "{\"rule\": \"cpf-check-digit\"} or "
                        + "{\"all\": true}", this::replayMany),
                new ApiEndpoint("POST", "/api/dead-letters/{id}/discard", OPERATE, "Close one open dead letter without "
                        + "replaying it; the reason is audited", List.of(), "{\"reason\": \"why it is discarded\"}",
                        this::discard),
                new ApiEndpoint("GET", "/api/mappings", READ, "Every instance with a mapping folder, and its mappings "
                        + "(id, target entity, file, columns) in reference order", List.of(), null,
                        r -> mappings.list()),
                new ApiEndpoint("GET", "/api/mappings/file", CONFIGURE, "The text of one mapping file of an instance's "
                        + "folder, to edit", List.of(new ApiEndpoint.Query("instance", "the connector instance"),
                        new ApiEndpoint.Query("file", "the mapping file, e.g. pacientes.yaml")), null,
                        r -> mappings.text(required(r, "instance"), required(r, "file"))),
                new ApiEndpoint("POST", "/api/mappings/check", CONFIGURE, "Check an edited mapping file with every check"
                        + " the hub applies when it loads its folder; every problem with its line. Nothing is saved",
                        List.of(), "{\"instance\": \"legacy\", \"file\": \"pacientes.yaml\", \"text\": \"mapping: ...\"}",
                        r -> mappings.check(r.requiredBody("instance"), r.requiredBody("file"), r.requiredText("text"))),
                new ApiEndpoint("POST", "/api/mappings/preview", CONFIGURE, "Check an edited mapping file, then map a "
                        + "sample export with it: per row the canonical record (sensitive values masked) or its "
                        + "violations. Nothing is saved or imported", List.of(), "{\"instance\": \"legacy\", \"file\": "
                        + "\"pacientes.yaml\", \"text\": \"mapping: ...\", \"sampleName\": \"pacientes.csv\", "
                        + "\"sample\": \"CODIGO;NOME;...\", \"limit\": 20}", this::previewMapping),
                new ApiEndpoint("GET", "/api/patients/{id}", READ, "Patient 360°: everything the hub holds for one "
                        + "patient across all systems (source ids, appointments past and future, packages, charges, "
                        + "payments, invoices, consents, allergies, skin tests, alerts, messages), sensitive values "
                        + "masked; an admin may ask them unmasked with a reason. Every read is audited",
                        List.of(new ApiEndpoint.Query("unmasked", "true for the values unmasked (role admin only, "
                                + "with reason)"), new ApiEndpoint.Query("reason", "why the values are needed "
                                + "unmasked (written to the audit log)")), null, this::patient),
                new ApiEndpoint("POST", "/api/mappings/save", CONFIGURE, "Write an edited mapping file into the "
                        + "instance's folder when it passes every check (atomically; the hub reloads it and records "
                        + "the version); refused with every problem otherwise, the file unchanged. Audited",
                        List.of(), "{\"instance\": \"legacy\", \"file\": \"pacientes.yaml\", \"text\": \"mapping: ...\"}",
                        r -> mappings.save(db, r.requiredBody("instance"), r.requiredBody("file"),
                                r.requiredText("text"), r.who().actor(), "mapping.save", "saved through the API")),
                new ApiEndpoint("GET", "/api/mappings/history", READ, "The accepted versions of a mapping (who, "
                        + "when, content hash), and which the file holds now", List.of(new ApiEndpoint.Query("name",
                        "the mapping's name, e.g. legacy-clinic/agenda")), null,
                        r -> mappings.history(db, required(r, "name"))),
                new ApiEndpoint("GET", "/api/mappings/diff", READ, "The changed lines between two accepted versions,"
                        + " or a version and the file now", List.of(new ApiEndpoint.Query("name", "the mapping's "
                        + "name"), new ApiEndpoint.Query("from", "a version number"), new ApiEndpoint.Query("to",
                        "another version number (default: the file now)")), null,
                        r -> mappings.diff(db, required(r, "name"), number(r, "from"),
                                r.query().containsKey("to") ? number(r, "to") : null)),
                new ApiEndpoint("POST", "/api/mappings/rollback", CONFIGURE, "Write an accepted version back into its"
                        + " file once it passes every check again (audited); the hub reloads it",
                        List.of(), "{\"name\": \"legacy-clinic/agenda\", \"version\": 2}",
                        r -> mappings.rollback(db, r.requiredBody("name"), r.body().path("version").asInt(-1),
                                r.who().actor())),
                new ApiEndpoint("GET", "/api/messages", READ, "Messages to patients, newest first: purpose, template,"
                        + " status, channel, recipient masked, times, and why one is blocked or failed",
                        List.of(new ApiEndpoint.Query("status", "statuses, comma-separated, e.g. BLOCKED,FAILED "
                                + "(default: all)"), new ApiEndpoint.Query("limit", "how many (default 100, at most "
                                + "1000)")), null, this::messages),
                new ApiEndpoint("GET", "/api/invoices", READ, "Invoices (NFS-e, NF-e): number, series, status, "
                        + "charge, amounts, access key; sensitive values masked", List.of(new ApiEndpoint.Query(
                        "status", "only this status, e.g. PENDING, AUTHORIZED, REJECTED, CANCELLED")), null,
                        this::invoices),
                new ApiEndpoint("GET", "/api/audit", READ, "The latest audit rows, newest first",
                        List.of(new ApiEndpoint.Query("limit", "how many rows (default 100, at most 1000)")), null,
                        this::audit),
                new ApiEndpoint("GET", "/api/audit/verify", READ, "Recompute the audit log's hash chain", List.of(),
                        null, r -> verifyAudit()),
                new ApiEndpoint("GET", "/api/keys", ADMINISTER, "The API keys (never their secret)", List.of(), null,
                        r -> listKeys()),
                new ApiEndpoint("POST", "/api/keys", ADMINISTER, "Create an API key; the key is in this answer only",
                        List.of(), "{\"name\": \"monitoring\", \"role\": \"viewer\"}", this::createKey),
                new ApiEndpoint("DELETE", "/api/keys/{id}", ADMINISTER, "Revoke an API key (by id or name)", List.of(),
                        null, this::revokeKey));
    }

    @Override
    public void configure() {
        Map<String, List<ApiEndpoint>> byPath = new LinkedHashMap<>();
        endpoints.forEach(e -> byPath.computeIfAbsent(e.path(), p -> new ArrayList<>()).add(e));
        byPath.forEach((path, ops) -> {
            String methods = String.join(",", ops.stream().map(ApiEndpoint::method).toList());
            from("platform-http:" + path + "?httpMethodRestrict=" + methods)
                    .routeId("api" + path.substring(4).replaceAll("[{}]", "").replace('/', '-'))
                    .process(e -> answer(e, ops));
        });
        String document = OpenApiDocument.of(endpoints).toPrettyString();
        from("platform-http:" + OPENAPI_PATH + "?httpMethodRestrict=GET")
                .routeId("api-openapi")
                .process(e -> {
                    e.getIn().removeHeaders("*");
                    respond(e, 200, document);
                });
    }

    /** The paths served under /api, as routes see them (the OpenAPI test compares them with the document). */
    List<String> paths() {
        List<String> out = new ArrayList<>(endpoints.stream().map(ApiEndpoint::path).distinct().toList());
        out.add(OPENAPI_PATH);
        return out;
    }

    private void answer(Exchange e, List<ApiEndpoint> ops) {
        String method = String.valueOf(e.getIn().getHeader(Exchange.HTTP_METHOD)).toUpperCase(Locale.ROOT);
        ApiEndpoint op = ops.stream().filter(o -> o.method().equals(method)).findFirst().orElse(null);
        if (op == null) {
            e.getIn().removeHeaders("*");
            respond(e, 405, error("method " + method + " is not allowed here"));
            return;
        }
        String address = address(e);
        String authorization = e.getIn().getHeader("Authorization", String.class);
        String rawQuery = e.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        Map<String, String> path = new LinkedHashMap<>();
        for (String p : op.parameters()) {
            path.put(p, String.valueOf(e.getIn().getHeader(p)));
        }
        String text = e.getIn().getBody(String.class);
        // no request header goes back in the answer (the server copies message headers into the response)
        e.getIn().removeHeaders("*");
        Instant now = clock.instant();
        try {
            if (rawQuery != null && rawQuery.toLowerCase(Locale.ROOT).contains("authorization=")) {
                // query parameters become headers: a key in the URL would land in access logs and browser history
                throw new ApiException(400, "send the API key in the Authorization header, never in the URL");
            }
            ApiKeys.Principal who = authenticate(e, op, authorization, address, now);
            if (who == null) {
                return; // answered 401 or 403
            }
            JsonNode body = null;
            if (text != null && !text.isBlank()) {
                try {
                    body = Json.MAPPER.readTree(text);
                } catch (java.io.IOException bad) {
                    throw new ApiException(400, "the request body is not JSON");
                }
            }
            JsonNode result = op.handler().handle(new ApiEndpoint.Request(who, path, query(rawQuery), body, address));
            respond(e, 200, result.toString());
        } catch (ApiException refused) {
            respond(e, refused.status(), error(refused.getMessage()));
        } catch (Exception | Error failed) {
            String ref = UUID.randomUUID().toString().substring(0, 8);
            // the class and reference only: a message could quote a record's values
            LOG.warn("admin API {} {} failed ({}), reference {}", method, op.path(), failed.getClass().getName(), ref);
            respond(e, 500, error("internal error (reference " + ref + "; the hub's log has its class)"));
        }
    }

    /** The principal, or {@code null} after answering 401/403 (audited). */
    private ApiKeys.Principal authenticate(Exchange e, ApiEndpoint op, String header, String address, Instant now) {
        String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).strip() : null;
        // an address that failed too often is slowed down: only keys verified before (in memory, no slow hash) pass
        Duration wait = failures.waitFor(address, now);
        boolean slowedDown = !wait.isZero() && !wait.isNegative();
        ApiKeys.Verified checked = presented == null ? new ApiKeys.Verified(ApiKeys.Outcome.INVALID, null)
                : keys.verify(db, presented, now, !slowedDown);
        Optional<ApiKeys.Principal> who = Optional.ofNullable(checked.principal());
        String target = op.method() + " " + op.path();
        if (who.isEmpty() && slowedDown) {
            e.getIn().setHeader("Retry-After", String.valueOf(Math.max(1, wait.toSeconds())));
            respond(e, 429, error("too many failed authentications from this address: try again in "
                    + Math.max(1, wait.toSeconds()) + " s"));
            return null;
        }
        if (who.isEmpty()) {
            if (presented != null) {
                failures.failed(address, now); // a wrong key is a guess; no key at all is not
            }
            String why = presented == null ? "no API key" : ApiKeys.idOf(presented)
                    .map(id -> "unknown, wrong or revoked key " + id).orElse("not a Ponte API key");
            audit("anonymous@" + address, "api.refused", target, "401 " + why, now);
            e.getIn().setHeader("WWW-Authenticate", "Bearer realm=\"ponte\"");
            respond(e, 401, error(presented == null
                    ? "an API key is needed: Authorization: Bearer <key> (bin/ponte apikey create)"
                    : "the API key is not valid (unknown, wrong or revoked)"));
            return null;
        }
        if (!op.permission().grantedTo(who.get().role())) {
            audit(who.get().actor(), "api.refused", target, "403 role " + who.get().role().label() + " lacks "
                    + op.permission(), now);
            respond(e, 403, error("role " + who.get().role().label() + " may not do this (needs one of "
                    + op.permission().roles().stream().map(Role::label).sorted().toList() + ")"));
            return null;
        }
        return who.get();
    }

    private void audit(String actor, String action, String target, String detail, Instant now) {
        db.inTransaction(c -> {
            AuditLog.append(c, actor, action, target, detail, null, now);
            return null;
        });
    }

    // --- handlers

    private JsonNode connectors() {
        JsonNode checks = health.get().path("checks").path("connectors");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ConnectorContext ctx : hub.connectors().values()) {
            var d = ctx.config().descriptor();
            ObjectNode o = out.addObject().put("instance", ctx.instance()).put("type", d.type())
                    .put("version", d.version()).put("direction", d.direction().name())
                    .put("sandbox", ctx.config().sandbox());
            d.reads().forEach(o.putArray("reads")::add);
            d.writes().forEach(o.putArray("writes")::add);
            o.put("health", checks.path(ctx.instance()).asText("UNKNOWN"));
        }
        return out;
    }

    private JsonNode connector(ApiEndpoint.Request r) {
        ConnectorContext ctx = hub.connectors().get(r.pathParam("instance"));
        if (ctx == null) {
            throw new ApiException(404, "no connector instance '" + r.pathParam("instance") + "' (instances: "
                    + hub.connectors().keySet() + ")");
        }
        var d = ctx.config().descriptor();
        ObjectNode o = Json.MAPPER.createObjectNode().put("instance", ctx.instance()).put("type", d.type())
                .put("version", d.version()).put("description", d.description()).put("direction", d.direction().name())
                .put("sandbox", ctx.config().sandbox());
        ArrayNode options = o.putArray("options");
        for (dev.ponte.spi.ConfigField f : d.config()) {
            ObjectNode opt = options.addObject().put("key", f.key()).put("fullKey", ctx.config().fullKey(f.key()))
                    .put("type", f.type().name()).put("required", f.required()).put("secret", f.secret())
                    .put("default", f.secret() ? null : f.defaultValue()).put("description", f.description());
            if (f.validator() != null) {
                opt.put("accepts", f.validator().describe());
            }
            Object value = ctx.config().has(f.key()) ? ctx.config().value(f.key()) : null;
            opt.put("value", value == null ? null : f.secret() ? "(set, not shown)" : String.valueOf(value));
        }
        return o;
    }

    private JsonNode validateConnector(ApiEndpoint.Request r) {
        String instance = r.requiredBody("instance");
        String type = r.requiredBody("type");
        if (!instance.matches("[a-z0-9][a-z0-9-]*")) {
            throw new ApiException(400, "instance '" + instance + "': lower-case letters, digits and '-' only");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        String prefix = dev.ponte.spi.ConnectorConfigs.PREFIX + instance + ".";
        properties.put(prefix + "type", type);
        JsonNode options = r.body().path("options");
        if (!options.isMissingNode() && !options.isObject()) {
            throw new ApiException(400, "\"options\" must be a JSON object of option = value");
        }
        options.fields().forEachRemaining(f -> properties.put(prefix + f.getKey(), f.getValue().isTextual()
                ? f.getValue().asText() : f.getValue().toString()));
        dev.ponte.spi.ConnectorConfigs.Checked checked = dev.ponte.spi.ConnectorConfigs.check(properties,
                dev.ponte.spi.ConnectorConfigs.discover(), Map.of("data-dir", dataDir.toString()));
        ObjectNode o = Json.MAPPER.createObjectNode().put("instance", instance).put("type", type)
                .put("valid", checked.problems().isEmpty());
        checked.problems().forEach(o.putArray("problems")::add);
        return o;
    }

    private JsonNode patient(ApiEndpoint.Request r) throws Exception {
        String id = r.pathParam("id");
        boolean unmasked = unmaskRequested(r, "GET /api/patients/{id}", "patient " + id);
        String reason = r.query().get("reason");
        PatientView view = patients;
        if (view == null) {
            view = new PatientView(dev.ponte.glossary.Glossary.loadDefault());
            patients = view;
        }
        PatientView v = view;
        Optional<ObjectNode> found = db.inTransaction(c -> {
            Optional<ObjectNode> o;
            try {
                o = v.of(c, id, unmasked, clock.instant());
            } catch (java.io.IOException unreadable) {
                throw new java.io.UncheckedIOException(unreadable);
            }
            if (o.isPresent()) {
                AuditLog.append(c, r.who().actor(), unmasked ? "patient.read-unmasked" : "patient.read",
                        "patient/" + id, "api: 360° view" + (unmasked ? ", unmasked" : ", masked"), reason,
                        clock.instant());
            }
            return o;
        });
        return found.orElseThrow(() -> new ApiException(404, "no patient with id " + id));
    }

    private static int number(ApiEndpoint.Request r, String param) {
        try {
            return Integer.parseInt(required(r, param));
        } catch (NumberFormatException e) {
            throw new ApiException(400, param + " '" + r.query().get(param) + "' is not a number");
        }
    }

    private static String required(ApiEndpoint.Request r, String param) {
        String v = r.query().get(param);
        if (v == null || v.isBlank()) {
            throw new ApiException(400, "the query parameter '" + param + "' is required");
        }
        return v;
    }

    private JsonNode previewMapping(ApiEndpoint.Request r) {
        if (r.body() == null) {
            throw new ApiException(400, "the request body needs \"instance\", \"file\", \"text\" and \"sample\"");
        }
        String sampleName = r.body().hasNonNull("sampleName") ? r.body().get("sampleName").asText() : "sample.csv";
        if (!sampleName.matches("[A-Za-z0-9._-]+") || sampleName.startsWith(".")) {
            throw new ApiException(400, "sampleName '" + sampleName + "': a file name such as pacientes.csv");
        }
        int limit = r.body().path("limit").asInt(20);
        Locale locale = Locale.forLanguageTag(r.body().path("lang").asText("pt-BR"));
        audit(r.who().actor(), "mapping.preview", "mapping/" + r.requiredBody("instance") + "/" + r.requiredBody("file"),
                "api: a sample of " + sampleName + " previewed (masked)", clock.instant());
        return mappings.preview(r.requiredBody("instance"), r.requiredBody("file"), r.requiredText("text"),
                sampleName, r.requiredText("sample"), limit, locale);
    }

    private JsonNode listDeadLetters(ApiEndpoint.Request r) {
        DeadLetter.Status status;
        try {
            status = DeadLetter.Status.valueOf(r.query().getOrDefault("status", "OPEN").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "status '" + r.query().get("status") + "' is not one of "
                    + java.util.Arrays.toString(DeadLetter.Status.values()));
        }
        DeadLetters.Filter filter = new DeadLetters.Filter(r.query().get("connector"), r.query().get("rule"), null,
                status);
        List<DeadLetter> found = db.inTransaction(c -> {
            AuditLog.append(c, r.who().actor(), "dlq.list", "dead-letters", "api: connector=" + filter.connector()
                    + " rule=" + filter.rule() + " status=" + status, null, clock.instant());
            return DeadLetters.list(c, filter);
        });
        ArrayNode out = Json.MAPPER.createArrayNode();
        found.forEach(d -> out.add(DeadLetterActions.summary(d)));
        return out;
    }

    private JsonNode showDeadLetter(ApiEndpoint.Request r) throws Exception {
        long id = r.id("id");
        boolean unmasked = unmaskRequested(r, "GET /api/dead-letters/{id}", "dead letter " + id);
        Optional<DeadLetter> d = db.inTransaction(c -> {
            AuditLog.append(c, r.who().actor(), unmasked ? "dlq.show-unmasked" : "dlq.show", "dead-letter/" + id,
                    unmasked ? "api: payload as received" : "api: masked view", r.query().get("reason"),
                    clock.instant());
            return DeadLetters.get(c, id);
        });
        DeadLetter found = d.orElseThrow(() -> new ApiException(404, "no dead letter with id " + id));
        ObjectNode shown = DeadLetterActions.show(hub, found);
        if (unmasked) {
            shown.set("payload", readOrText(found.payload()));
        }
        return shown;
    }

    /**
     * Whether the request asks for personal data unmasked, and may: role admin, with a reason. Another role gets 403
     * (audited); an admin without a reason 400.
     */
    private boolean unmaskRequested(ApiEndpoint.Request r, String operation, String what) {
        if (!"true".equalsIgnoreCase(r.query().get("unmasked"))) {
            return false;
        }
        if (!ADMINISTER.grantedTo(r.who().role())) {
            audit(r.who().actor(), "api.refused", operation, "403 role " + r.who().role().label() + " may not see "
                    + what + " unmasked", clock.instant());
            throw new ApiException(403, "role " + r.who().role().label() + " may not see personal data unmasked "
                    + "(role admin, with a reason)");
        }
        String reason = r.query().get("reason");
        if (reason == null || reason.isBlank()) {
            throw new ApiException(400, "an unmasked view needs a reason (?reason=...): it is written to the audit "
                    + "log with who asked and for what");
        }
        return true;
    }

    private static JsonNode readOrText(String payload) {
        try {
            return Json.MAPPER.readTree(payload);
        } catch (java.io.IOException notJson) {
            return Json.MAPPER.getNodeFactory().textNode(payload);
        }
    }

    private JsonNode replayMany(ApiEndpoint.Request r) {
        boolean all = r.body() != null && r.body().path("all").asBoolean(false);
        String rule = r.body() == null || r.body().path("rule").isMissingNode() ? null : r.body().path("rule").asText();
        if (all == (rule != null)) {
            throw new ApiException(400, "give exactly one of \"rule\" (a rule id) or \"all\": true");
        }
        ArrayNode results = Json.MAPPER.createArrayNode();
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        for (DeadLetter d : DeadLetterActions.openTargets(db, null, rule)) {
            DeadLetterActions.ReplayResult result = DeadLetterActions.replay(hub, d, r.who().actor());
            results.addObject().put("id", d.id()).put("result", result.what().name()).put("detail", result.detail());
            counts.merge(result.what().name(), 1, Integer::sum);
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.set("counts", Json.MAPPER.valueToTree(counts));
        o.set("results", results);
        return o;
    }

    private JsonNode replay(ApiEndpoint.Request r) {
        long id = r.id("id");
        List<DeadLetter> targets = DeadLetterActions.openTargets(db, id, null);
        if (targets.isEmpty()) {
            throw new ApiException(404, "no open dead letter with id " + id);
        }
        DeadLetterActions.ReplayResult result = DeadLetterActions.replay(hub, targets.get(0), r.who().actor());
        return Json.MAPPER.createObjectNode().put("id", id).put("result", result.what().name())
                .put("detail", result.detail());
    }

    private JsonNode discard(ApiEndpoint.Request r) {
        long id = r.id("id");
        String reason = r.requiredBody("reason");
        if (!DeadLetterActions.discard(db, id, r.who().actor(), reason)) {
            throw new ApiException(404, "no open dead letter with id " + id);
        }
        return Json.MAPPER.createObjectNode().put("id", id).put("result", "DISCARDED");
    }

    private JsonNode messages(ApiEndpoint.Request r) {
        List<dev.ponte.model.MessageStatus> statuses = new ArrayList<>();
        String raw = r.query().get("status");
        if (raw != null) {
            for (String st : raw.split(",")) {
                try {
                    statuses.add(dev.ponte.model.MessageStatus.valueOf(st.strip().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new ApiException(400, "status '" + st.strip() + "' is not one of "
                            + java.util.Arrays.toString(dev.ponte.model.MessageStatus.values()));
                }
            }
        }
        int limit = boundedLimit(r);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (dev.ponte.store.Messages.StoredMessage m : db.inTransaction(c -> {
            AuditLog.append(c, r.who().actor(), "messages.list", "messages", "api: status=" + statuses + " limit="
                    + limit + " (recipients masked)", null, clock.instant());
            return dev.ponte.store.Messages.recent(c, statuses, limit);
        })) {
            out.addObject().put("id", m.id()).put("purpose", m.purpose()).put("template", m.template())
                    .put("status", m.status().name()).put("channel", m.channel()).put("connector", m.connector())
                    .put("recipient", Addresses.mask(m.recipient())).put("patientId", m.patientId())
                    .put("appointmentId", m.appointmentId())
                    .put("dueAt", m.dueAt() == null ? null : m.dueAt().toString())
                    .put("sentAt", m.sentAt() == null ? null : m.sentAt().toString()).put("reason", m.reason());
        }
        return out;
    }

    private JsonNode invoices(ApiEndpoint.Request r) throws Exception {
        String status = r.query().get("status");
        if (patients == null) {
            patients = new PatientView(dev.ponte.glossary.Glossary.loadDefault());
        }
        PatientView masking = patients;
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, String> e : db.inTransaction(c -> {
            AuditLog.append(c, r.who().actor(), "invoices.list", "invoices", "api: status=" + status + " (masked)",
                    null, clock.instant());
            return dev.ponte.store.CanonicalStore.payloads(c, "Invoice");
        }).entrySet()) {
            JsonNode invoice = Json.MAPPER.readTree(e.getValue());
            if (status != null && !status.equalsIgnoreCase(invoice.path("status").asText())) {
                continue;
            }
            ObjectNode o = Json.MAPPER.createObjectNode().put("id", e.getKey());
            o.setAll((ObjectNode) masking.masked("Invoice", invoice));
            out.add(o);
        }
        return out;
    }

    private static int boundedLimit(ApiEndpoint.Request r) {
        try {
            return Math.max(1, Math.min(1000, Integer.parseInt(r.query().getOrDefault("limit", "100"))));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "limit '" + r.query().get("limit") + "' is not a number");
        }
    }

    private JsonNode audit(ApiEndpoint.Request r) {
        int limit;
        try {
            limit = Integer.parseInt(r.query().getOrDefault("limit", "100"));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "limit '" + r.query().get("limit") + "' is not a number");
        }
        int bounded = Math.max(1, Math.min(1000, limit));
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (AuditLog.Entry a : db.inTransaction(c -> AuditLog.recent(c, bounded))) {
            out.addObject().put("seq", a.seq()).put("at", a.at().toString()).put("actor", a.actor())
                    .put("action", a.action()).put("target", a.target()).put("detail", a.detail()).put("why", a.why());
        }
        return out;
    }

    private JsonNode verifyAudit() {
        Optional<AuditLog.Break> broken = db.inTransaction(AuditLog::verify);
        long rows = db.inTransaction(AuditLog::count);
        ObjectNode o = Json.MAPPER.createObjectNode().put("intact", broken.isEmpty()).put("rows", rows);
        broken.ifPresent(b -> o.put("brokenAt", b.seq()).put("reason", b.reason()));
        return o;
    }

    private JsonNode listKeys() {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (ApiKeys.Listed k : db.inTransaction(ApiKeys::list)) {
            out.addObject().put("id", k.id()).put("name", k.name()).put("role", k.role().label())
                    .put("createdAt", k.createdAt().toString()).put("createdBy", k.createdBy())
                    .put("revokedAt", k.revokedAt() == null ? null : k.revokedAt().toString())
                    .put("lastUsedAt", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
        }
        return out;
    }

    private JsonNode createKey(ApiEndpoint.Request r) {
        String name = r.requiredBody("name");
        Role role;
        try {
            role = Role.of(r.requiredBody("role"));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, e.getMessage());
        }
        try {
            ApiKeys.Created k = db.inTransaction(c -> {
                ApiKeys.Created created = ApiKeys.create(c, name, role, r.who().actor(), clock.instant());
                AuditLog.append(c, r.who().actor(), "apikey.create", "apikey/" + created.id(), "name=" + name
                        + " role=" + role.label(), null, clock.instant());
                return created;
            });
            return Json.MAPPER.createObjectNode().put("id", k.id()).put("name", name).put("role", role.label())
                    .put("key", k.key()).put("note", "shown once: store it now; only its hash is kept");
        } catch (IllegalArgumentException taken) {
            throw new ApiException(409, taken.getMessage());
        }
    }

    private JsonNode revokeKey(ApiEndpoint.Request r) {
        String id = r.pathParam("id");
        boolean done = db.inTransaction(c -> {
            boolean revoked = ApiKeys.revoke(c, id, r.who().actor(), clock.instant());
            if (revoked) {
                AuditLog.append(c, r.who().actor(), "apikey.revoke", "apikey/" + id, null, null, clock.instant());
            }
            return revoked;
        });
        if (!done) {
            throw new ApiException(404, "no key '" + id + "' that is not revoked already");
        }
        return Json.MAPPER.createObjectNode().put("id", id).put("result", "REVOKED");
    }

    // --- plumbing

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException malformed) {
                throw new ApiException(400, "the query string is not well encoded (" + malformed.getMessage() + ")");
            }
            if (!v.isBlank()) {
                out.put(k, v);
            }
        }
        return out;
    }

    /** The caller's IP address (without the port); {@code unknown} when the server did not say. */
    static String address(Exchange e) {
        Object remote = e.getIn().getHeader(REMOTE_ADDRESS);
        if (remote == null) {
            return "unknown";
        }
        String s = remote.toString();
        int colon = s.lastIndexOf(':');
        return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit) ? s.substring(0, colon) : s;
    }

    private static String error(String message) {
        return Json.MAPPER.createObjectNode().put("error", message).toString();
    }

    private static void respond(Exchange e, int status, String json) {
        e.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        e.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
        e.getMessage().setBody(json);
    }
}
