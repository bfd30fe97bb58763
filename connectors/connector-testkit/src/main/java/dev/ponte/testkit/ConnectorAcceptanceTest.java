package dev.ponte.testkit;

import dev.ponte.model.CanonicalModel;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.Direction;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.store.SandboxRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The acceptance tests every connector passes, in the spirit of Airbyte's connector acceptance tests and Debezium's
 * contract tests. Extend it in the connector module (name the class {@code *IT}: it starts real servers) and
 * implement the hooks; tests that do not apply to the connector's {@link Direction} are skipped.
 *
 * <ul>
 *   <li>descriptor: complete, every option described and typed, credentials marked secret, found by ServiceLoader;</li>
 *   <li>configuration: the good one accepted; bad ones refused with every problem reported together, naming the
 *       key; a secret value never appears in {@code toString()} or a message;</li>
 *   <li>source: a read of sample input yields records that map and validate through the hub's inbound pipeline;</li>
 *   <li>sink: a transient error ({@code RetriableDeliveryException}) is retried and then succeeds; a permanent one
 *       becomes a dead letter with its reason; a bug (any other exception) is an INTERNAL dead letter at once, never
 *       retried; a message that is not a command is an INTERNAL dead letter, not a remote refusal; the same command
 *       delivered twice has one external effect;</li>
 *   <li>sandbox: the request recorded is exactly the one production sends, and nothing reaches the remote;</li>
 *   <li>health: DOWN while the remote is unreachable, UP again after;</li>
 *   <li>throughout: nothing written to the console (the logs) contains a secret value or the sample patient's
 *       CPF or phone.</li>
 * </ul>
 */
public abstract class ConnectorAcceptanceTest {

    private static final Pattern CREDENTIAL = Pattern.compile(".*(password|secret|token|api-key|apikey|credential).*");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    protected Path work;
    private OutputCapture output;

    // ---- hooks: every connector -------------------------------------------------------------------------------

    /** The connector under test. */
    protected abstract Connector connector();

    /**
     * A complete, valid configuration, without the {@code ponte.connectors.<instance>.} prefix. Give secrets
     * distinctive values of at least 6 characters: the kit checks they never leak.
     *
     * @param workDir a fresh folder for files the configuration points to
     */
    protected abstract Map<String, String> goodConfig(Path workDir) throws Exception;

    /** Further configurations that must be refused, beyond those the kit derives from the descriptor. */
    protected List<BadConfig> badConfigs(Path workDir) throws Exception {
        return List.of();
    }

    /** Makes the system behind the connector unreachable (stop the stand-in, remove the folder). */
    protected abstract void remoteUnreachable() throws Exception;

    /** Makes it reachable again. */
    protected abstract void remoteReachable() throws Exception;

    // ---- hooks: sources -----------------------------------------------------------------------------------------

    /** Prepares the store before a source read (records that external changes refer to). */
    protected void seedStore(KitHub hub) throws Exception {
    }

    /** Puts sample input where the running instance reads it. */
    protected void produceSampleInput(KitHub hub) throws Exception {
        throw new UnsupportedOperationException("a source connector must implement produceSampleInput");
    }

    /** How many records the sample input holds. */
    protected int expectedSampleRecords() {
        throw new UnsupportedOperationException("a source connector must implement expectedSampleRecords");
    }

    // ---- hooks: sinks -------------------------------------------------------------------------------------------

    /** A command this sink performs; by default an appointment from {@link SampleCommands}. */
    protected OutboundCommand sampleCommand() {
        return SampleCommands.appointment(UUID.randomUUID().toString(),
                OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-3)), OutboundCommand.Action.UPSERT);
    }

    /** The remote accepts every request. */
    protected void remoteAccepts() throws Exception {
        throw new UnsupportedOperationException("a sink connector must implement remoteAccepts");
    }

    /** The remote fails the next {@code times} requests transiently (503, 429, reset), then accepts. */
    protected void remoteFailsTransiently(int times) throws Exception {
        throw new UnsupportedOperationException("a sink connector must implement remoteFailsTransiently");
    }

    /** The remote refuses requests for good (400, 404). */
    protected void remoteRejects() throws Exception {
        throw new UnsupportedOperationException("a sink connector must implement remoteRejects");
    }

    /** Effects the remote performed so far (events created, messages accepted). */
    protected int externalEffects() throws Exception {
        throw new UnsupportedOperationException("a sink connector must implement externalEffects");
    }

    /** Requests that would have an effect, as the remote received them (no token or health requests). */
    protected List<RemoteRequest> remoteRequests() throws Exception {
        throw new UnsupportedOperationException("a sink connector must implement remoteRequests");
    }

    /** Forgets the requests and effects seen so far. */
    protected void resetRemote() throws Exception {
    }

    // ---- the contract -------------------------------------------------------------------------------------------

    @BeforeEach
    void captureOutput() {
        output = new OutputCapture();
    }

    @AfterEach
    void nothingSecretOrPersonalWasLogged() throws Exception {
        output.close();
        String logged = output.text();
        for (String secret : secretValues()) {
            assertThat(logged).as("the console output (logs) shows a secret value").doesNotContain(secret);
        }
        assertThat(logged).as("the console output (logs) shows the patient's CPF").doesNotContain(
                SampleCommands.PATIENT_CPF);
        assertThat(logged).as("the console output (logs) shows the patient's phone").doesNotContain(
                SampleCommands.PATIENT_PHONE);
    }

    @Test
    void descriptorIsComplete() {
        ConnectorDescriptor d = connector().descriptor();
        assertThat(d.type()).as("type").matches("[a-z][a-z0-9-]*");
        assertThat(d.version()).as("version").isNotBlank();
        assertThat(d.description()).as("description").hasSizeGreaterThan(10);
        assertThat(d.direction()).as("direction").isNotNull();
        for (String entity : concat(d.reads(), d.writes())) {
            assertThat(CanonicalModel.type(entity)).as("entity " + entity + " is in the canonical model").isPresent();
        }
        if (d.direction() != Direction.SINK) {
            assertThat(d.reads()).as("a source names the entities it reads").isNotEmpty();
        }
        if (d.direction() != Direction.SOURCE) {
            assertThat(d.writes()).as("a sink names the entities it writes").isNotEmpty();
        }
        Set<String> keys = new HashSet<>();
        for (ConfigField f : d.config()) {
            assertThat(keys.add(f.key())).as("option " + f.key() + " declared once").isTrue();
            assertThat(f.key()).as("option name").matches("[a-z][a-z0-9-]*");
            assertThat(ConnectorConfigs.COMMON_KEYS).as(f.key() + " is common to every connector").doesNotContain(
                    f.key());
            assertThat(f.type()).as(f.key() + " has a type").isNotNull();
            assertThat(f.description()).as(f.key() + " is described").hasSizeGreaterThan(10);
            if (CREDENTIAL.matcher(f.key()).matches() && f.type() == ConfigType.STRING) {
                assertThat(f.secret()).as(f.key() + " looks like a credential and must be secret").isTrue();
            }
            if (f.required()) {
                assertThat(f.defaultValue()).as(f.key() + " is required, so it has no default").isNull();
            }
            if (f.defaultValue() != null && !f.defaultValue().contains("${")) {
                // a default must be a valid value: the hub checks it like a configured one at every start
                assertThatCode(() -> {
                    Object v = f.type().parse(f.defaultValue());
                    if (f.validator() != null) {
                        f.validator().check(v);
                    }
                }).as(f.key() + "'s default '" + f.defaultValue() + "' is of its type and passes its validator")
                        .doesNotThrowAnyException();
            }
        }
        for (ConfigRule rule : d.rules()) {
            assertThat(keys).as("the options named by the rule '" + rule.message() + "' are declared")
                    .containsAll(rule.keys());
        }
        assertThat(ServiceLoader.load(Connector.class).stream().map(p -> p.type().getName()))
                .as("listed in META-INF/services/dev.ponte.spi.Connector").contains(connector().getClass().getName());
    }

    @Test
    void goodConfigurationIsAcceptedAndPrintsNoSecret() throws Exception {
        ConnectorConfig config = validate(goodConfig(work));
        assertThat(config.descriptor().type()).isEqualTo(connector().descriptor().type());
        for (String secret : secretValues()) {
            assertThat(config.toString()).as("toString() of the configuration").doesNotContain(secret);
        }
    }

    @Test
    void everyConfigurationProblemIsReportedTogetherNamingItsKey() throws Exception {
        Map<String, String> good = goodConfig(work);
        ConnectorDescriptor d = connector().descriptor();
        Map<String, String> bad = new LinkedHashMap<>(good);
        Set<String> expected = new HashSet<>();
        for (ConfigField f : d.config()) {
            if (f.required()) {
                bad.remove(f.key());
                expected.add(f.key());
            } else if (wrongValue(f.type()) != null) {
                bad.put(f.key(), wrongValue(f.type()));
                expected.add(f.key());
            }
        }
        bad.put("no-such-option", "x");
        expected.add("no-such-option");
        assertRefused(new BadConfig("every required option missing, every typed option of the wrong type, an "
                + "unknown option", bad, expected));
        for (BadConfig b : badConfigs(work)) {
            assertRefused(b);
        }
    }

    @Test
    void aReadOfSampleInputYieldsRecordsThatMapAndValidate() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SINK, "not a source");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            seedStore(hub);
            produceSampleInput(hub);
            await("the sample records through the hub's inbound pipeline").atMost(WAIT).untilAsserted(() ->
                    assertThat(hub.inboundResults()).as(() -> "records through the inbound pipeline; " + state(hub))
                            .hasSizeGreaterThanOrEqualTo(expectedSampleRecords()));
            List<InboundResult> results = hub.inboundResults();
            assertThat(results).hasSize(expectedSampleRecords());
            assertThat(results).as("records rejected by the hub's mapping or validation")
                    .allSatisfy(r -> assertThat(r.outcome()).as(r.key() + ": " + r.rules())
                            .isNotEqualTo(InboundResult.Outcome.REJECTED));
        }
    }

    @Test
    void aTransientRemoteErrorIsRetriedThenSucceeds() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteFailsTransiently(2);
            hub.send(sampleCommand());
            awaitOneRecordedEffect(hub);
            assertThat(externalEffects()).isEqualTo(1);
            assertThat(hub.deadLetters()).isEmpty();
            assertThat(remoteRequests().size()).as("requests the remote saw: 2 failures, then the effect")
                    .isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aPermanentRemoteErrorGoesToTheDeadLettersWithItsReason() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteRejects();
            OutboundCommand command = sampleCommand();
            hub.send(command);
            await("the rejected command dead-lettered").atMost(WAIT).untilAsserted(() ->
                    assertThat(hub.deadLetters()).as(() -> "open dead letters; " + state(hub)).isNotEmpty());
            OpenDeadLetter d = hub.deadLetters().get(0);
            assertThat(d.errorClass()).isEqualTo("PERMANENT_REMOTE");
            assertThat(d.connector()).isEqualTo(KitHub.INSTANCE);
            assertThat(d.sourceKey()).isEqualTo(command.businessKey());
            assertThat(d.reason()).as("the reason").contains("remote-rejected").hasSizeGreaterThan(40);
            // the broker would redeliver within 100 ms: hold the observation a while before concluding it did not
            await("no redelivery of the permanent error").during(Duration.ofSeconds(2)).atMost(WAIT)
                    .untilAsserted(() -> assertThat(hub.deliveries()).as(() -> "deliveries to the sink (a permanent"
                            + " error is not retried); " + state(hub)).isEqualTo(1));
            assertThat(externalEffects()).isZero();
            assertThat(hub.recordedEffects()).isZero();
        }
    }

    @Test
    void aBugInTheSinkIsAnInternalDeadLetterAtOnceNeverRetried() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteAccepts();
            hub.sinkHasABug(1);
            OutboundCommand command = sampleCommand();
            hub.send(command);
            await("the command that met a bug dead-lettered").atMost(WAIT).untilAsserted(() ->
                    assertThat(hub.deadLetters()).as(() -> "open dead letters; " + state(hub)).isNotEmpty());
            OpenDeadLetter d = hub.deadLetters().get(0);
            assertThat(d.errorClass()).as("a bug is not a remote refusal").isEqualTo("INTERNAL");
            assertThat(d.rules()).containsExactly("internal-error");
            assertThat(d.sourceKey()).isEqualTo(command.businessKey());
            assertThat(d.reason()).as("the exception's class and first stack frames")
                    .contains("java.lang.NullPointerException").contains(" at dev.ponte.testkit.KitHub")
                    .doesNotContain("simulated by the connector kit"); // the message may quote data: not kept
            assertThat(d.payload()).as("the command, kept for replay").contains(command.businessKey());
            await("no redelivery of the bug").during(Duration.ofSeconds(2)).atMost(WAIT)
                    .untilAsserted(() -> assertThat(hub.deliveries()).as(() -> "deliveries to the sink (a bug is not "
                            + "retried); " + state(hub)).isEqualTo(1));
            assertThat(externalEffects()).isZero();
            assertThat(hub.recordedEffects()).isZero();
        }
    }

    @Test
    void aMessageThatIsNotACommandIsAnInternalDeadLetterNotARemoteOne() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteAccepts();
            hub.sendRaw("{\"not\": \"a command\"");
            await("the unreadable message dead-lettered").atMost(WAIT).untilAsserted(() ->
                    assertThat(hub.deadLetters()).as(() -> "open dead letters; " + state(hub)).isNotEmpty());
            OpenDeadLetter d = hub.deadLetters().get(0);
            assertThat(d.errorClass()).as("nothing remote happened").isEqualTo("INTERNAL");
            assertThat(d.rules()).containsExactly("unreadable-command");
            assertThat(d.payload()).isEqualTo("{\"not\": \"a command\"");
            assertThat(hub.deliveries()).as("deliveries to the sink").isZero();
            assertThat(externalEffects()).isZero();
        }
    }

    @Test
    void theSameCommandDeliveredTwiceHasOneExternalEffect() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            remoteAccepts();
            OutboundCommand command = sampleCommand();
            org.apache.camel.builder.NotifyBuilder two = new org.apache.camel.builder.NotifyBuilder(hub.camel())
                    .fromRoute(KitHub.INSTANCE + "-sink").whenDone(2).create();
            hub.send(command);
            hub.send(SampleCommands.again(command));
            await("both deliveries done on the sink route").atMost(WAIT).untilAsserted(() ->
                    assertThat(two.matches()).as(() -> "two exchanges done on " + KitHub.INSTANCE + "-sink; "
                            + state(hub)).isTrue());
            assertThat(externalEffects()).isEqualTo(1);
            assertThat(hub.recordedEffects()).isEqualTo(1);
            assertThat(hub.deadLetters()).isEmpty();
        }
    }

    @Test
    void sandboxModeRecordsExactlyTheRequestThatWouldHaveBeenSent() throws Exception {
        assumeTrue(connector().descriptor().direction() != Direction.SOURCE, "not a sink");
        OutboundCommand command = sampleCommand();
        List<RemoteRequest> production;
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("production"))) {
            remoteAccepts();
            hub.send(command);
            awaitOneRecordedEffect(hub);
            production = new ArrayList<>(remoteRequests());
        }
        assertThat(production).as("requests production sent").isNotEmpty();
        resetRemote();
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), true, work.resolve("sandbox"))) {
            hub.send(command); // the very same command, in a fresh hub
            awaitOneRecordedEffect(hub);
            List<SandboxRequests.Request> recorded = hub.sandboxRequests();
            assertThat(remoteRequests()).as("requests that reached the remote in sandbox mode").isEmpty();
            assertThat(externalEffects()).isZero();
            assertThat(recorded).hasSameSizeAs(production);
            for (int i = 0; i < recorded.size(); i++) {
                SandboxRequests.Request r = recorded.get(i);
                RemoteRequest asSent = new RemoteRequest(r.method(), r.target(), r.body());
                assertThat(asSent.sameAs(production.get(i))).as("recorded " + asSent + " is what production sent: "
                        + production.get(i)).isTrue();
                assertThat(r.businessKey()).isEqualTo(command.businessKey());
                for (String secret : secretValues()) {
                    assertThat(r.headers().toString() + r.body()).as("recorded request").doesNotContain(secret);
                }
                assertThat(r.headers().keySet()).as("credentials are not recorded")
                        .noneMatch(h -> h.equalsIgnoreCase("authorization"));
            }
        }
    }

    @Test
    void healthIsDownWhileTheRemoteIsUnreachableAndUpAgainAfter() throws Exception {
        try (KitHub hub = KitHub.start(connector(), goodConfig(work), false, work.resolve("hub"))) {
            awaitHealth(hub, true, "UP at start");
            remoteUnreachable();
            try {
                awaitHealth(hub, false, "DOWN while the remote is unreachable");
                assertThat(hub.instance().health().detail()).as("why it is down").hasSizeGreaterThan(10);
            } finally {
                remoteReachable();
            }
            awaitHealth(hub, true, "UP again once the remote is reachable");
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private void awaitOneRecordedEffect(KitHub hub) {
        await("the command's effect recorded by the hub").atMost(WAIT).untilAsserted(() ->
                assertThat(hub.recordedEffects()).as(() -> "effects recorded by the hub; " + state(hub))
                        .isEqualTo(1));
    }

    private static void awaitHealth(KitHub hub, boolean up, String what) {
        await("health " + what).atMost(WAIT).untilAsserted(() -> {
            var health = hub.instance().health();
            assertThat(health.up()).as(() -> "health up (detail: " + health.detail() + ")").isEqualTo(up);
        });
    }

    /**
     * What the hub and the remote did so far, for the message of a wait that gives up: deliveries to the sink, open
     * dead letters (class, rules), records through the inbound pipeline, and what the remote saw.
     */
    private String state(KitHub hub) {
        StringBuilder out = new StringBuilder();
        try {
            out.append("deliveries to the sink ").append(hub.deliveries());
            out.append(", recorded effects ").append(hub.recordedEffects());
            out.append(", open dead letters ").append(hub.deadLetters().stream()
                    .map(d -> d.errorClass() + " " + d.rules()).toList());
            out.append(", inbound records ").append(hub.inboundResults().stream()
                    .map(r -> r.key() + " " + r.outcome()).toList());
        } catch (RuntimeException e) {
            out.append(" (the hub's state could not be read: ").append(e.getMessage()).append(')');
        }
        if (connector().descriptor().direction() != Direction.SOURCE) {
            try {
                out.append(", effects the remote performed ").append(externalEffects());
                // methods only: a body or an address (SMS, e-mail) holds the patient's personal data
                out.append(", requests the remote saw ").append(remoteRequests().stream().map(RemoteRequest::method)
                        .toList());
            } catch (Exception e) {
                out.append(" (the remote's requests could not be read: ").append(e).append(')');
            }
        }
        return out.toString();
    }

    private void assertRefused(BadConfig bad) throws Exception {
        List<String> secrets = secretValues();
        assertThatThrownBy(() -> validate(bad.options())).as(bad.why()).isInstanceOfSatisfying(
                ConfigurationException.class, e -> {
                    for (String key : bad.expectedKeys()) {
                        assertThat(e.problems()).as(bad.why() + ": a problem names " + key)
                                .anyMatch(p -> p.startsWith(ConnectorConfigs.PREFIX + KitHub.INSTANCE + "." + key
                                        + ":"));
                    }
                    for (String secret : secrets) {
                        assertThat(e.getMessage()).as("the error message shows a secret").doesNotContain(secret);
                    }
                });
    }

    private ConnectorConfig validate(Map<String, String> options) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + ".type", connector().descriptor().type());
        options.forEach((k, v) -> properties.put(ConnectorConfigs.PREFIX + KitHub.INSTANCE + "." + k, v));
        return ConnectorConfigs.validate(properties, Map.of(connector().descriptor().type(), connector()),
                Map.of("data-dir", work.toString())).get(0);
    }

    private List<String> secretValues() throws Exception {
        Map<String, String> good = goodConfig(work);
        List<String> out = new ArrayList<>();
        for (ConfigField f : connector().descriptor().config()) {
            String v = good.get(f.key());
            if (f.secret() && v != null && v.length() >= 6) {
                out.add(v);
            }
        }
        return out;
    }

    private static String wrongValue(ConfigType type) {
        return switch (type) {
            case INT -> "many";
            case BOOLEAN -> "perhaps";
            case DURATION -> "soon";
            case URL -> "no scheme here";
            case PORT -> "70000";
            case ENUM -> "no-such-choice";
            default -> null;
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
