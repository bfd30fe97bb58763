package dev.ponte.flows;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.broker.BrokerClient;
import dev.ponte.broker.BrokerSettings;
import dev.ponte.broker.CloudEventsMessages;
import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.broker.Queues;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetter;
import dev.ponte.store.DeadLetters;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The flow sink-commands on an embedded broker, without the rest of the hub: it consumes {@code ponte.events} through
 * the durable multicast queue {@code ponte.flow.sink-commands}, so events published while it is down (the broker
 * restarted in between) become commands when it starts; its sends and its acknowledgement are one JMS transaction
 * (a failure after the send rolls the send back and the event is redelivered: one command, not two); a message that
 * is not an event becomes a dead letter of the flow; an event failing every attempt goes to {@code ponte.dlq} with its
 * queue named (where the hub's dead-letter drain records it as RETRIES_EXHAUSTED of {@code flow-sink-commands}).
 */
@Tag("store")
class SinkCommandsFlowIT {

    private static final String SINK = "cal";

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private BrokerClient client;
    private Database db;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        startBroker();
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        stopBroker();
        db.close();
    }

    @Test
    void eventsPublishedWhileTheFlowIsDownBecomeCommandsWhenItStarts() throws Exception {
        CanonicalEvent fromLegacy = event("appointment.upserted", "ponte://legacy-clinic/legacy", "a1");
        publish(fromLegacy,
                event("patient.merged", "ponte://legacy-clinic/legacy", "p1"), // not a record change
                event("appointment.upserted", "ponte://google-calendar/" + SINK, "a2"), // from the sink: no echo
                event("patient.upserted", "ponte://legacy-clinic/legacy", "p2")); // the sink does not write it
        stopBroker(); // the hub is down before any flow consumed them
        startBroker();

        ClientSession.QueueQuery subscription = subscription();
        assertThat(subscription.isExists()).as("the flow's queue after a broker restart").isTrue();
        assertThat(subscription.isDurable()).isTrue();
        assertThat(String.valueOf(subscription.getAddress())).isEqualTo(Queues.EVENTS);
        assertThat(subscription.getRoutingType()).isEqualTo(RoutingType.MULTICAST);
        assertThat(subscription.getMessageCount()).as("events waiting for the flow").isEqualTo(4);

        startFlow((AtomicInteger) null);
        List<JsonNode> commands = new ArrayList<>();
        await("the command of the one event the sink takes").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(receive(commands)).as(() -> "commands on " + Queues.outbound(SINK) + "; " + state())
                        .hasSize(1));
        awaitSubscriptionDrained();
        assertThat(receive(commands)).as("no other command").hasSize(1);
        JsonNode command = commands.get(0);
        assertThat(command.path("businessKey").asText()).isEqualTo(SINK + ":appointment:a1");
        assertThat(command.path("causationId").asText()).isEqualTo(fromLegacy.id());
        assertThat(command.path("correlationId").asText()).isEqualTo("run-1");
    }

    @Test
    void aFailureAfterTheSendRollsTheSendBackAndTheEventIsRedelivered() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startFlow(attempts);
        publish(event("appointment.upserted", "ponte://legacy-clinic/legacy", "a1"),
                event("appointment.rescheduled", "ponte://legacy-clinic/legacy", "a2"));

        List<JsonNode> commands = new ArrayList<>();
        await("one command per event").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(receive(commands)).as(() -> "commands on " + Queues.outbound(SINK) + " after "
                        + attempts.get() + " attempts; " + state()).hasSize(2));
        awaitSubscriptionDrained();
        assertThat(receive(commands)).as("the command sent before the failure was rolled back").hasSize(2);
        assertThat(commands).extracting(c -> c.path("businessKey").asText())
                .containsExactly(SINK + ":appointment:a1", SINK + ":appointment:a2");
        assertThat(attempts.get()).as("attempts: the first event twice, the second once").isEqualTo(3);
    }

    @Test
    void anEventFailingEveryAttemptGoesToTheDeadLetterAddressWithItsQueue() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startFlow(e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("the database is down");
        });
        CanonicalEvent event = event("appointment.upserted", "ponte://legacy-clinic/legacy", "a1");
        publish(event);
        List<String> dead = new ArrayList<>();
        await("the event on " + Queues.DLQ + " after the last attempt").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> {
                    try (var context = client.connectionFactory().createContext();
                         var consumer = context.createConsumer(context.createQueue(Queues.DLQ))) {
                        jakarta.jms.Message m = consumer.receive(200);
                        if (m != null) {
                            dead.add(m.getStringProperty("_AMQ_ORIG_ADDRESS") + " "
                                    + m.getStringProperty("_AMQ_ORIG_QUEUE") + " " + m.getBody(String.class));
                        }
                    }
                    assertThat(dead).as(() -> "dead-lettered after " + attempts.get() + " attempts; " + state())
                            .hasSize(1);
                });
        assertThat(dead.get(0)).isEqualTo(Queues.EVENTS + " " + Queues.SINK_COMMANDS + " " + event.toJson());
        assertThat(attempts.get()).as("the broker's attempts").isEqualTo(5);
        assertThat(receive(new ArrayList<>())).as("every attempt's command rolled back").isEmpty();
    }

    @Test
    void aMessageThatIsNotAnEventBecomesADeadLetterOfTheFlow() throws Exception {
        startFlow((AtomicInteger) null);
        try (var context = client.connectionFactory().createContext()) {
            context.createProducer().send(context.createTopic(Queues.EVENTS), "{\"not\":\"an event\"}");
        }
        await("the flow's dead letter").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(deadLetters()).as(() -> "dead letters; " + state()).hasSize(1));
        DeadLetter d = deadLetters().get(0);
        assertThat(d.connector()).isEqualTo(SinkCommandsFlow.ROUTE_ID);
        assertThat(d.errorClass()).isEqualTo(DeadLetter.ErrorClass.INTERNAL);
        assertThat(d.payload()).isEqualTo("{\"not\":\"an event\"}");
        awaitSubscriptionDrained();
        assertThat(receive(new ArrayList<>())).as("no command").isEmpty();
    }

    private void startBroker() throws Exception {
        broker = new EmbeddedBroker(new BrokerSettings(dir.resolve("broker"), null, 5, 50, 1.0, 50));
        client = new BrokerClient(EmbeddedBroker.IN_VM_URL, null, null);
        client.ensureSinkCommandsSubscription();
    }

    private void stopBroker() throws Exception {
        client.close();
        broker.close();
    }

    /** The flow with a sink writing appointments; with {@code attempts}, the first pass fails after its send. */
    private void startFlow(AtomicInteger attempts) throws Exception {
        org.apache.camel.Processor failFirst = attempts == null ? null : e -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a crash after the send, before the commit");
            }
        };
        startFlow(failFirst);
    }

    /** The flow with a sink writing appointments and, if not null, {@code after} at the end of each pass. */
    private void startFlow(org.apache.camel.Processor after) throws Exception {
        camel = new DefaultCamelContext();
        camel.addComponent("jms", client.jmsComponent());
        camel.addRoutes(new FlowsRouteConfiguration(db, Clock.systemUTC()));
        camel.addRoutes(new SinkCommandsFlow(db, Map.of(SINK, Set.of("Appointment"))));
        if (after != null) {
            AdviceWith.adviceWith(camel, SinkCommandsFlow.ROUTE_ID, a -> a.weaveAddLast().process(after));
        }
        camel.start();
    }

    private void publish(CanonicalEvent... events) throws Exception {
        try (jakarta.jms.Connection connection = client.connectionFactory().createConnection();
             jakarta.jms.Session session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED)) {
            jakarta.jms.MessageProducer producer = session.createProducer(session.createTopic(Queues.EVENTS));
            for (CanonicalEvent event : events) {
                jakarta.jms.TextMessage m = session.createTextMessage(event.toJson());
                CloudEventsMessages.structured(m, event);
                producer.send(m);
            }
            session.commit();
        }
    }

    private static CanonicalEvent event(String type, String source, String subject) {
        return new CanonicalEvent(dev.ponte.store.Ids.newId(), source, type, subject, Instant.now(), "clinic",
                "agenda@1", "run-1", "legacy:agenda:" + subject, "{\"id\":\"" + subject + "\",\"status\":\"SCHEDULED\"}");
    }

    /** Adds the commands now on the sink's queue to those received so far, and returns them all. */
    private List<JsonNode> receive(List<JsonNode> received) throws Exception {
        try (var context = client.connectionFactory().createContext();
             var consumer = context.createConsumer(context.createQueue(Queues.outbound(SINK)))) {
            for (jakarta.jms.Message m = consumer.receive(200); m != null; m = consumer.receiveNoWait()) {
                received.add(Json.MAPPER.readTree(m.getBody(String.class)));
            }
        }
        return received;
    }

    private void awaitSubscriptionDrained() {
        await("the flow's queue drained and nothing in flight").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(state()).isEqualTo("0 on the flow's queue, 0 in flight"));
    }

    private String state() {
        try {
            return subscription().getMessageCount() + " on the flow's queue, "
                    + camel.getInflightRepository().size(SinkCommandsFlow.ROUTE_ID) + " in flight";
        } catch (Exception e) {
            return "(cannot query the broker: " + e + ")";
        }
    }

    private ClientSession.QueueQuery subscription() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(EmbeddedBroker.IN_VM_URL);
             ClientSessionFactory sessions = locator.createSessionFactory();
             ClientSession session = sessions.createSession()) {
            return session.queueQuery(SimpleString.of(Queues.SINK_COMMANDS));
        }
    }

    private List<DeadLetter> deadLetters() {
        return db.inTransaction(c -> DeadLetters.list(c, new DeadLetters.Filter(SinkCommandsFlow.ROUTE_ID, null, null,
                null)));
    }
}
