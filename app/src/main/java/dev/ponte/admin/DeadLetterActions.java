package dev.ponte.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.glossary.Sensitivity;
import dev.ponte.hub.PonteHub;
import dev.ponte.inbound.RowOutcome;
import dev.ponte.inbound.RowResult;
import dev.ponte.json.Json;
import dev.ponte.mapping.Mapping;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What an admin does with dead letters, the same from the CLI ({@code bin/ponte dlq}) and the admin API: the masked
 * view, replay (through the current mapping, or to its sink for an outbound command) and discard, each audited.
 */
public final class DeadLetterActions {

    private DeadLetterActions() {
    }

    /** What became of one dead letter asked to replay. */
    public enum Replayed { STORED, QUEUED, STILL_REJECTED, SKIPPED, NOT_REPLAYABLE }

    /** One replay's result; {@code detail} is for a person (rules and fields, never values). */
    public record ReplayResult(long id, Replayed what, String detail) {
    }

    /** The dead letter's masked view: summary, violations (values masked at write), masked payload. */
    public static ObjectNode show(PonteHub hub, DeadLetter d) throws IOException {
        ObjectNode o = summary(d);
        o.set("violations", Json.MAPPER.readTree(d.violations()));
        o.set("payload", maskedPayload(hub, d));
        o.put("firstFailure", d.firstFailure().toString());
        o.put("correlationId", d.correlationId());
        o.put("resolution", d.resolution());
        return o;
    }

    /** The payload with the columns that feed sensitive fields masked; everything but the key when unsure. */
    public static JsonNode maskedPayload(PonteHub prepared, DeadLetter d) throws IOException {
        JsonNode payload;
        try {
            payload = Json.MAPPER.readTree(d.payload());
        } catch (IOException e) {
            return Json.MAPPER.getNodeFactory().textNode("(" + d.payload().length() + " characters, not JSON)");
        }
        ConnectorContext ctx = prepared.connectors().get(d.connector());
        Optional<Mapping> mapping = ctx == null || ctx.mappings() == null || d.mapping() == null ? Optional.empty()
                : ((dev.ponte.inbound.FolderMappingRegistry) ctx.mappings())
                        .mapping(d.mapping().replaceFirst("@\\d+$", ""));
        java.util.Map<String, Sensitivity> sensitive = mapping.map(Mapping::sensitiveColumns).orElse(null);
        String key = mapping.map(m -> m.source().key()).orElse(null);
        JsonNode values = payload.get("values");
        if (values instanceof ObjectNode v) {
            List<String> cols = new java.util.ArrayList<>();
            v.fieldNames().forEachRemaining(cols::add);
            for (String col : cols) {
                Sensitivity s = sensitive == null ? (col.equals(key) ? Sensitivity.NONE : Sensitivity.PERSONAL)
                        : sensitive.getOrDefault(col, Sensitivity.NONE);
                if (!v.get(col).asText().isEmpty()) {
                    v.put(col, s.mask(v.get(col).asText()));
                }
            }
        }
        return payload;
    }

    /**
     * Replays one open dead letter: an outbound command is queued for the running hub to send again to its sink; any
     * other goes through its connector's current mapping and pipeline now.
     */
    public static ReplayResult replay(PonteHub hub, DeadLetter d, String actor) {
        if (isOutboundCommand(hub, d)) {
            boolean asked = hub.database().inTransaction(c -> {
                boolean ok = DeadLetters.requestReplay(c, d.id(), actor);
                if (ok) {
                    AuditLog.append(c, actor, "dlq.replay-request", "dead-letter/" + d.id(),
                            "outbound command for " + d.connector(), null, Instant.now());
                }
                return ok;
            });
            return asked ? new ReplayResult(d.id(), Replayed.QUEUED, "the running hub sends it again to "
                    + d.connector() + " (within a second; the sink skips what it already delivered)")
                    : new ReplayResult(d.id(), Replayed.SKIPPED, "no longer open");
        }
        if (hub.processor(d.connector()) == null) {
            return new ReplayResult(d.id(), Replayed.SKIPPED, "connector '" + d.connector()
                    + "' is not configured with mappings");
        }
        RowResult r;
        try {
            r = hub.processor(d.connector()).replay(d.id(), actor);
        } catch (IllegalStateException | IllegalArgumentException e) {
            return new ReplayResult(d.id(), Replayed.NOT_REPLAYABLE, e.getMessage());
        }
        if (r.outcome() == RowOutcome.REJECTED) {
            return new ReplayResult(d.id(), Replayed.STILL_REJECTED, r.violations().stream()
                    .map(v -> v.rule() + " on " + v.sourceField()).toList().toString());
        }
        return new ReplayResult(d.id(), Replayed.STORED, r.outcome().name());
    }

    /**
     * Whether a dead letter holds an outbound command of a sink instance, whatever its error class (PERMANENT_REMOTE,
     * RETRIES_EXHAUSTED, INTERNAL): the instance writes (SINK or BOTH), no mapping produced it and its payload reads as
     * a command. Then the running hub sends it again to the sink; otherwise it is replayed through the mapping.
     */
    public static boolean isOutboundCommand(PonteHub prepared, DeadLetter d) {
        ConnectorContext ctx = prepared.connectors().get(d.connector());
        if (ctx == null || ctx.config().descriptor().direction() == dev.ponte.spi.Direction.SOURCE
                || d.mapping() != null) {
            return false;
        }
        try {
            dev.ponte.spi.OutboundCommand c = Json.MAPPER.readValue(d.payload(), dev.ponte.spi.OutboundCommand.class);
            return c != null && c.businessKey() != null && c.action() != null;
        } catch (IOException | RuntimeException notACommand) {
            return false; // an inbound chunk, or a message that was not a command (INTERNAL, unreadable-command)
        }
    }

    /** Closes an open dead letter without replaying it, auditing who and why; {@code false} when none is open. */
    public static boolean discard(Database db, long id, String actor, String reason) {
        return db.inTransaction(c -> {
            Optional<DeadLetter> d = DeadLetters.get(c, id).filter(x -> x.status() == DeadLetter.Status.OPEN);
            if (d.isEmpty()) {
                return false;
            }
            DeadLetters.close(c, id, DeadLetter.Status.DISCARDED, "discarded by " + actor + ": " + reason);
            AuditLog.append(c, actor, "dlq.discard", "dead-letter/" + id, null, reason, Instant.now());
            return true;
        });
    }

    /** The open dead letters a replay of one id, a rule, or all targets. */
    public static List<DeadLetter> openTargets(Database db, Long id, String rule) {
        return db.inTransaction(c -> id != null
                ? DeadLetters.get(c, id).filter(d -> d.status() == DeadLetter.Status.OPEN).stream().toList()
                : DeadLetters.list(c, new DeadLetters.Filter(null, rule, null, DeadLetter.Status.OPEN)));
    }

    /** The dead letter without its payload and violations: what a list shows. */
    public static ObjectNode summary(DeadLetter d) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("id", d.id());
        o.put("connector", d.connector());
        o.put("mapping", d.mapping());
        o.put("errorClass", d.errorClass().name());
        ArrayNode rules = o.putArray("rules");
        d.rules().forEach(rules::add);
        o.put("file", d.sourceFile());
        if (d.sourceLine() != null) {
            o.put("line", d.sourceLine());
        }
        o.put("key", d.sourceKey());
        o.put("attempts", d.attempts());
        o.put("lastFailure", d.lastFailure().toString());
        o.put("status", d.status().name());
        return o;
    }
}
