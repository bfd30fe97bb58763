package dev.ponte.hub;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.ponte.cli.PonteCliRunner;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.OutboundEffects;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A remote that is down for a while: it answers 503, resets connections and takes 10 s to answer (the sink gives up
 * after its 5 s timeout: long enough that the remote's quick answers after the outage are not cut short on a loaded
 * machine, which would deliver an appointment twice). Every command is retried by the broker, then dead-lettered;
 * once the remote is back, an admin replays the dead letters and every appointment reaches the remote exactly once.
 */
class RemoteOutageIT {

    static final int APPOINTMENTS = 6;
    static final int ATTEMPTS = 3;

    @TempDir
    Path dataDir;
    @TempDir
    Path export;
    private WireMockServer remote;
    private PonteHub hub;

    @BeforeEach
    void start() throws Exception {
        remote = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        remote.start();
        // the same configuration for the hub and for the admin commands: in the data directory
        Files.writeString(dataDir.resolve("ponte.properties"), String.join("\n",
                "ponte.connectors.remote.type=http-webhook",
                "ponte.connectors.remote.url=http://127.0.0.1:" + remote.port() + "/ponte",
                "ponte.connectors.remote.signing-secret=outage-test-secret",
                "ponte.connectors.remote.timeout=5s",
                "ponte.connectors.legacy.mappings=" + HubTestSupport.LEGACY_MAPPINGS,
                "ponte.broker.max-delivery-attempts=" + ATTEMPTS, ""));
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of())).start(true);
    }

    @AfterEach
    void stop() {
        hub.close();
        remote.stop();
    }

    /** Down: every request fails, in turn with 503, a connection reset and a 10 s wait ending in 504. */
    private void remoteDown() {
        String[] states = {"Started", "reset", "slow"};
        remote.stubFor(post(urlPathEqualTo("/ponte")).inScenario("outage").whenScenarioStateIs(states[0])
                .willSetStateTo(states[1]).willReturn(aResponse().withStatus(503)));
        remote.stubFor(post(urlPathEqualTo("/ponte")).inScenario("outage").whenScenarioStateIs(states[1])
                .willSetStateTo(states[2]).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        remote.stubFor(post(urlPathEqualTo("/ponte")).inScenario("outage").whenScenarioStateIs(states[2])
                .willSetStateTo(states[0]).willReturn(aResponse().withStatus(504).withFixedDelay(10_000)));
    }

    @Test
    void anOutageEndsInDeadLettersAndAReplayDeliversEachAppointmentOnce() throws Exception {
        remoteDown();
        LegacyExportGenerator.generate(export, 20, APPOINTMENTS, 0, 11);
        Path inbox = dataDir.resolve("inbox/legacy");
        try (Stream<Path> s = Files.list(export)) {
            HubTestSupport.drop(inbox, s.toArray(Path[]::new));
        }

        // retried by the broker, then dead-lettered: one dead letter per appointment, after every attempt
        await("one open dead letter per appointment").atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(outboundDeadLetters(DeadLetter.Status.OPEN)).as(() -> "open dead letters of remote; "
                        + remoteSaw() + "; " + Waits.hubState(hub)).hasSize(APPOINTMENTS));
        assertThat(outboundDeadLetters(DeadLetter.Status.OPEN)).allSatisfy(d -> {
            assertThat(d.errorClass()).isEqualTo(DeadLetter.ErrorClass.RETRIES_EXHAUSTED);
            assertThat(d.sourceKey()).startsWith("remote:appointment:");
            assertThat(d.violations()).contains("gave up after " + ATTEMPTS + " delivery attempts on ponte.out.remote");
        });
        Map<String, Long> attempts = requestsByKey(remote.getAllServeEvents());
        assertThat(attempts).hasSize(APPOINTMENTS).allSatisfy((key, n) -> assertThat(n).isEqualTo(ATTEMPTS));
        long effects = hub.database().inTransaction(c -> OutboundEffects.count(c, "remote"));
        assertThat(effects).isZero();

        // the remote is back; the admin replays what failed
        remote.resetAll();
        remote.stubFor(post(urlPathEqualTo("/ponte")).willReturn(aResponse().withStatus(200)));
        PonteCliRunner.Result replay = PonteCliRunner.run("dlq", "replay", "--all", "--data-dir", dataDir.toString());
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.out()).contains(APPOINTMENTS + " queued for their sink");

        await("every appointment delivered after the replay").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(hub.database().<Long>inTransaction(c -> OutboundEffects.count(c, "remote")))
                        .as(() -> "effects recorded for remote; " + replayState()).isEqualTo(APPOINTMENTS));
        await("every dead letter marked replayed").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(outboundDeadLetters(DeadLetter.Status.REPLAYED)).as(() -> "replayed dead letters of remote; "
                        + replayState()).hasSize(APPOINTMENTS));
        Map<String, Long> delivered = requestsByKey(remote.getAllServeEvents());
        assertThat(delivered).hasSize(APPOINTMENTS).allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
        assertThat(delivered.keySet()).isEqualTo(attempts.keySet());

        // replaying again changes nothing: nothing is open any more
        PonteCliRunner.Result again = PonteCliRunner.run("dlq", "replay", "--all", "--data-dir", dataDir.toString());
        assertThat(again.out()).contains("0 replayed");
    }

    /** Requests the remote saw, per Idempotency-Key, with their statuses. */
    private String remoteSaw() {
        return "remote requests " + remote.getAllServeEvents().stream().collect(Collectors.groupingBy(
                e -> String.valueOf(e.getRequest().getHeader("Idempotency-Key")), java.util.TreeMap::new,
                Collectors.mapping(e -> e.getResponse() == null ? "pending"
                        : String.valueOf(e.getResponse().getStatus()), Collectors.toList())));
    }

    /** The dead letters of remote by status, what the remote saw and the hub's state. */
    private String replayState() {
        return "dead letters of remote by status " + Stream.of(DeadLetter.Status.values()).collect(Collectors.toMap(
                st -> st, st -> outboundDeadLetters(st).size(), (a, b) -> a, java.util.TreeMap::new)) + "; "
                + remoteSaw() + "; " + Waits.hubState(hub);
    }

    private List<DeadLetter> outboundDeadLetters(DeadLetter.Status status) {
        return hub.database().inTransaction(c -> DeadLetters.list(c, new DeadLetters.Filter("remote", null, null,
                status)));
    }

    private static Map<String, Long> requestsByKey(List<ServeEvent> events) {
        return events.stream().collect(Collectors.groupingBy(e -> e.getRequest().getHeader("Idempotency-Key"),
                Collectors.counting()));
    }
}
