package dev.ponte.hub;

import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A message that can never be processed is redelivered with backoff, then dead-lettered; the queue keeps moving. */
class PoisonMessageIT {

    @Test
    void aPoisonMessageDoesNotBlockTheMessagesBehindIt(@TempDir Path dataDir) throws Exception {
        try (PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(false)) {
            sendPoisonThenGood(hub);
            awaitGoodStoredAndPoisonDeadLettered(hub, Duration.ofSeconds(30));
        }
    }

    /** Puts an unreadable message on the legacy instance's inbound queue, then a good chunk behind it. */
    static void sendPoisonThenGood(PonteHub hub) throws Exception {
        String queue = PonteHub.inboundUri("legacy");
        hub.producer().sendBody(queue, POISON);
        InboundChunk good = new InboundChunk("legacy", "legacy-clinic", "legacy-clinic/procedimentos",
                "procedimentos.csv", null, "c1", null, List.of(new RawRecord(2, Map.of("CODIGO", "P001",
                "DESCRICAO", "Limpeza de pele", "VALOR", "180,00", "DURACAO_MIN", "60", "TIPO", "P",
                "ITEM_LC116", "06.02", "NCM", ""), null)));
        hub.producer().sendBody(queue, Json.MAPPER.writeValueAsString(good));
    }

    /** The good message stored, and the poison, byte for byte, as the one open RETRIES_EXHAUSTED dead letter. */
    static void awaitGoodStoredAndPoisonDeadLettered(PonteHub hub, Duration within) {
        await("the good message behind the poison stored").atMost(within).untilAsserted(() ->
                assertThat(hub.database().inTransaction(CanonicalStore::countsByType).getOrDefault("Procedure",
                        0L)).as(() -> "procedures stored; " + Waits.hubState(hub)).isEqualTo(1L));
        await("the poison dead-lettered").atMost(within).untilAsserted(() ->
                assertThat(hub.database().<List<DeadLetter>>inTransaction(c -> DeadLetters.list(c,
                        new DeadLetters.Filter(null, "retries-exhausted", null, DeadLetter.Status.OPEN))))
                        .as(() -> "open retries-exhausted dead letters; " + Waits.hubState(hub)).hasSize(1));
        DeadLetter poison = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).get(0);
        assertThat(poison.errorClass()).isEqualTo(DeadLetter.ErrorClass.RETRIES_EXHAUSTED);
        assertThat(poison.connector()).isEqualTo("legacy");
        assertThat(poison.payload()).isEqualTo(POISON);
    }

    static final String POISON = "{\"this is\": not a chunk";
}
