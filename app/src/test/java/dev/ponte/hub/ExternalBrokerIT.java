package dev.ponte.hub;

import dev.ponte.cli.PonteCliRunner;
import dev.ponte.json.Json;
import dev.ponte.spi.InboundChunk;
import dev.ponte.spi.RawRecord;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.testsupport.ExternalArtemis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub on a real Artemis from the distribution, configured only with what {@code bin/ponte broker-config} prints
 * for the hub's settings: the broker applies the hub's redelivery (a poison message is tried
 * {@code ponte.broker.max-delivery-attempts} times, then moved by the broker to {@code ponte.dlq}, where the hub
 * records it as a dead letter; without the dead-letter address Artemis would drop it), and the messages behind it go
 * through. Tagged store: it runs again on PostgreSQL.
 */
@Tag("store")
class ExternalBrokerIT {

    @Test
    void theBrokerConfigOfTheHubMakesAnExternalArtemisDeadLetterAPoisonMessage(@TempDir Path dataDir,
                                                                             @TempDir Path brokerDir)
            throws Exception {
        // the hub's settings in its data directory, so that the command reads the same as the hub
        Files.writeString(dataDir.resolve("ponte.properties"), "ponte.broker.max-delivery-attempts=3\n"
                + "ponte.broker.redelivery-delay=100\nponte.broker.max-redelivery-delay=400\n");
        HubSettings plain = HubTestSupport.settings(dataDir, Map.of());
        PonteCliRunner.Result config = PonteCliRunner.run("broker-config", "--data-dir", dataDir.toString());
        assertThat(config.exitCode()).as(config.transcript()).isZero();
        assertThat(config.out()).contains("<address-setting match=\"ponte.in.#\">",
                "<max-delivery-attempts>3</max-delivery-attempts>", "<redelivery-delay>100</redelivery-delay>",
                "<dead-letter-address>ponte.dlq</dead-letter-address>", "<address-full-policy>PAGE</address-full-policy>",
                "<queue name=\"ponte.flow.sink-commands\"/>");
        assertThat(plain.getInt("ponte.broker.max-delivery-attempts")).isEqualTo(3);

        try (ExternalArtemis broker = ExternalArtemis.create(brokerDir.resolve("broker"), config.out()).start();
             PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.url", broker.url(),
                     "ponte.broker.user", ExternalArtemis.user(),
                     "ponte.broker.password", ExternalArtemis.password()))).start(false)) {
            String queue = PonteHub.inboundUri("legacy");
            hub.producer().sendBody(queue, "{\"this is\": not a chunk");
            InboundChunk good = new InboundChunk("legacy", "legacy-clinic", "legacy-clinic/procedimentos",
                    "procedimentos.csv", null, "c1", null, List.of(new RawRecord(2, Map.of("CODIGO", "P001",
                    "DESCRICAO", "Limpeza de pele", "VALOR", "180,00", "DURACAO_MIN", "60", "TIPO", "P",
                    "ITEM_LC116", "06.02", "NCM", ""), null)));
            hub.producer().sendBody(queue, Json.MAPPER.writeValueAsString(good));

            await("the good message behind the poison stored").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(hub.database().inTransaction(CanonicalStore::countsByType).getOrDefault("Procedure",
                            0L)).as(() -> "procedures stored; " + Waits.hubState(hub)).isEqualTo(1L));
            await("the poison dead-lettered by the external broker").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(hub.database().<List<DeadLetter>>inTransaction(c ->
                            DeadLetters.list(c, new DeadLetters.Filter(null, "retries-exhausted", null,
                                    DeadLetter.Status.OPEN)))).as(() -> "open retries-exhausted dead letters; "
                            + Waits.hubState(hub)).hasSize(1));
            DeadLetter poison = hub.database().inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).get(0);
            assertThat(poison.connector()).isEqualTo("legacy");
            assertThat(poison.payload()).isEqualTo("{\"this is\": not a chunk");
        }
    }
}
