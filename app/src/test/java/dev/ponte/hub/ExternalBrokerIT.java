package dev.ponte.hub;

import dev.ponte.cli.PonteCliRunner;
import dev.ponte.testsupport.ExternalArtemis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
        PonteCliRunner.Result config = PonteCliRunner.run("broker-config", "--data-dir", dataDir.toString());
        assertThat(config.exitCode()).as(config.transcript()).isZero();
        assertThat(config.out()).contains("<address-setting match=\"ponte.in.#\">",
                "<max-delivery-attempts>3</max-delivery-attempts>", "<redelivery-delay>100</redelivery-delay>",
                "<dead-letter-address>ponte.dlq</dead-letter-address>", "<address-full-policy>PAGE</address-full-policy>",
                "<queue name=\"ponte.flow.sink-commands\"/>");

        try (ExternalArtemis broker = ExternalArtemis.create(brokerDir.resolve("broker"), config.out()).start();
             PonteHub hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.url", broker.url(),
                     "ponte.broker.user", ExternalArtemis.user(),
                     "ponte.broker.password", ExternalArtemis.password()))).start(false)) {
            PoisonMessageIT.sendPoisonThenGood(hub);
            PoisonMessageIT.awaitGoodStoredAndPoisonDeadLettered(hub, Duration.ofSeconds(60));
        }
    }
}
