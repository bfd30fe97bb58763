package dev.ponte.fiscal;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The authority's answer written back to the Invoice, in the sink driver's transaction. */
@Tag("store")
class InvoiceOutcomesTest {

    static final Instant NOW = Instant.parse("2026-12-02T13:00:00Z");
    static final String KEY = "35503082212345678000195000000000004226031234567890";
    static final String PENDING = "{\"id\":\"inv-1\",\"kind\":\"NFSE\",\"chargeId\":\"c1\",\"number\":\"7\","
            + "\"series\":\"1\",\"status\":\"PENDING\",\"amount\":280.00,\"issuerCnpj\":\"11222333000181\"}";

    @TempDir
    Path dir;
    Database db;
    final InvoiceOutcomes outcomes = new InvoiceOutcomes("clinic");

    @BeforeEach
    void open() {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        put(PENDING);
    }

    @AfterEach
    void close() {
        db.close();
    }

    void put(String json) {
        db.inTransaction(c -> {
            CanonicalStore.save(c, "Invoice", "inv-1", json, Hashes.sha256(json), NOW);
            return null;
        });
    }

    JsonNode invoice() throws Exception {
        String payload = db.inTransaction(c -> CanonicalStore.payload(c, "Invoice", "inv-1").orElseThrow());
        return Json.MAPPER.readTree(payload);
    }

    List<CanonicalEvent> events() {
        return db.inTransaction(c -> EventOutbox.unpublished(c, 10));
    }

    static final OutboundCommand COMMAND = command();

    static OutboundCommand command() {
        try {
            return new OutboundCommand("cmd-1", "nfse:invoice:inv-1", "Invoice", OutboundCommand.Action.UPSERT,
                    "inv-1", Json.MAPPER.readTree(PENDING), Map.of(), "invoice.upserted", "corr", "evt", NOW);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anAuthorizedAnswerWritesTheKeyAndIsAStatusChangeFromTheSinkInstance() throws Exception {
        Sink.Delivery d = new Sink.Delivery(KEY, "NFS-e authorized", null, Map.of("status", "AUTHORIZED",
                "accessKey", KEY, "issuedAt", "2026-12-02T10:15:31-03:00", "number", "999"));
        db.inTransaction(c -> {
            outcomes.delivered(c, "nfse", COMMAND, d, NOW);
            return null;
        });
        JsonNode after = invoice();
        assertThat(after.get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(after.get("accessKey").asText()).isEqualTo(KEY);
        assertThat(after.get("issuedAt").asText()).isEqualTo("2026-12-02T10:15:31-03:00");
        assertThat(after.get("number").asText()).as("the hub's number: not one the sink may assign").isEqualTo("7");
        assertThat(events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo("invoice.status-changed");
            assertThat(e.source()).as("the sink instance: no echo to it").isEqualTo("ponte://fiscal/nfse");
        });
        boolean wanted = db.inTransaction(c -> outcomes.stillWanted(c, "nfse", COMMAND, NOW));
        assertThat(wanted).as("an AUTHORIZED invoice is not sent again").isFalse();
    }

    @Test
    void aRefusalMakesItRejectedWithTheReasonKeepsTheDeadLetterAndAReplayMayAuthorizeIt() throws Exception {
        boolean handled = db.inTransaction(c -> outcomes.refused(c, "nfse", COMMAND, "E0310 - Data de emissão",
                NOW));
        assertThat(handled).as("the dead letter stays, to replay").isFalse();
        assertThat(invoice().get("status").asText()).isEqualTo("REJECTED");
        assertThat(invoice().get("rejectionReason").asText()).isEqualTo("E0310 - Data de emissão");
        boolean wanted = db.inTransaction(c -> outcomes.stillWanted(c, "nfse", COMMAND, NOW));
        assertThat(wanted).as("replayable").isTrue();

        db.inTransaction(c -> {
            outcomes.delivered(c, "nfse", COMMAND, new Sink.Delivery(KEY, "ok", null, Map.of("status",
                    "AUTHORIZED", "accessKey", KEY)), NOW);
            return null;
        });
        assertThat(invoice().get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(invoice().has("rejectionReason")).as("cleared").isFalse();
    }

    @Test
    void aMalformedAnswerFieldIsNotTaken() throws Exception {
        db.inTransaction(c -> {
            outcomes.delivered(c, "nfse", COMMAND, new Sink.Delivery("x", "ok", null, Map.of("status",
                    "AUTHORIZED", "accessKey", "123")), NOW);
            return null;
        });
        assertThat(invoice().get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(invoice().has("accessKey")).isFalse();
    }

    @Test
    void aCancellationIsSentForAnAuthorizedInvoiceAndARefusalKeepsItAuthorized() throws Exception {
        String authorized = PENDING.replace("\"PENDING\"", "\"AUTHORIZED\"").replace("}", ",\"accessKey\":\""
                + KEY + "\"}");
        put(authorized);
        boolean wanted = db.inTransaction(c -> outcomes.stillWanted(c, "nfse", COMMAND, NOW));
        assertThat(wanted).as("authorized, no cancellation asked").isFalse();
        put(authorized.replace("}", ",\"cancellationCode\":\"OTHER\",\"cancellationReason\":\"Emitida em "
                + "duplicidade\"}"));
        wanted = db.inTransaction(c -> outcomes.stillWanted(c, "nfse", COMMAND, NOW));
        assertThat(wanted).as("its cancellation goes out").isTrue();

        db.inTransaction(c -> outcomes.refused(c, "nfse", COMMAND, "E1235 - Prazo expirado", NOW));
        assertThat(invoice().get("status").asText()).isEqualTo("AUTHORIZED");
        assertThat(invoice().get("rejectionReason").asText()).isEqualTo("cancellation refused: E1235 - Prazo expirado");

        db.inTransaction(c -> {
            outcomes.delivered(c, "nfse", COMMAND, new Sink.Delivery(KEY, "cancelled", null, Map.of("status",
                    "CANCELLED")), NOW);
            return null;
        });
        assertThat(invoice().get("status").asText()).isEqualTo("CANCELLED");
        assertThat(invoice().has("rejectionReason")).isFalse();
        wanted = db.inTransaction(c -> outcomes.stillWanted(c, "nfse", COMMAND, NOW));
        assertThat(wanted).as("a CANCELLED invoice: nothing more").isFalse();
    }
}
