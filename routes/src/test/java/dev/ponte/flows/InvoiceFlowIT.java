package dev.ponte.flows;

import org.junit.jupiter.api.Tag;
import dev.ponte.testsupport.TestStores;
import dev.ponte.broker.BrokerClient;
import dev.ponte.broker.BrokerSettings;
import dev.ponte.broker.CloudEventsMessages;
import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.broker.Queues;
import dev.ponte.fiscal.FiscalTriggerSettings;
import dev.ponte.fiscal.Invoicing;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.EventOutbox;
import dev.ponte.store.Hashes;
import dev.ponte.store.Ids;
import dev.ponte.store.InvoicedCharges;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The invoice flow on an embedded broker: a paid charge's event becomes one Invoice record and one
 * {@code invoice.upserted} event in the outbox; the same event again, or redelivered after a failure that came after
 * the database's commit, still makes one.
 */
@Tag("store")
class InvoiceFlowIT {

    @TempDir
    Path dir;
    private EmbeddedBroker broker;
    private BrokerClient client;
    private Database db;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        db = TestStores.open(Database.embeddedUrl(dir), Database::open);
        broker = new EmbeddedBroker(new BrokerSettings(dir.resolve("broker"), null, 5, 50, 1.0, 50));
        client = new BrokerClient(EmbeddedBroker.IN_VM_URL, null, null);
        client.ensureFlowSubscriptions(false, true);
    }

    @AfterEach
    void stop() throws Exception {
        if (camel != null) {
            camel.stop();
        }
        client.close();
        broker.close();
        db.close();
    }

    @Test
    void aPaidChargeEventMakesOneInvoiceAndTheSameEventTwiceStillOne() throws Exception {
        startFlow(null);
        CanonicalEvent paid = chargeEvent("c1", "PAID");
        publish(chargeEvent("c0", "OPEN"), paid, paid);
        awaitDrained();
        assertOneInvoiceFor("c1");
        assertThat(invoiceOf("c0")).as("an open charge").isNull();
    }

    @Test
    void anEventRedeliveredAfterTheCommitStillMakesOneInvoice() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        startFlow(e -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("a crash after the database's commit, before the acknowledgement");
            }
        });
        publish(chargeEvent("c1", "PAID"));
        await("the event redelivered and acknowledged").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(attempts.get()).isEqualTo(2));
        awaitDrained();
        assertOneInvoiceFor("c1");
    }

    @Test
    void withoutTheInvoicesSubscriptionNoEventWaitsForTheFlow() throws Exception {
        client.ensureFlowSubscriptions(false, false);
        assertThat(subscription().isExists()).as("invoicing off: the subscription is removed").isFalse();
        client.ensureFlowSubscriptions(false, true);
        assertThat(subscription().isExists()).isTrue();
    }

    private void assertOneInvoiceFor(String chargeId) {
        InvoicedCharges.Issued issued = invoiceOf(chargeId);
        assertThat(issued).as("the charge's document").isNotNull();
        assertThat(issued.number()).isEqualTo(1);
        Map<String, Long> counts = db.inTransaction(CanonicalStore::countsByType);
        assertThat(counts.get("Invoice")).as("Invoice records").isEqualTo(1);
        List<CanonicalEvent> invoiceEvents = db.inTransaction(c -> EventOutbox.unpublished(c, 100)).stream()
                .filter(e -> e.type().equals("invoice.upserted")).toList();
        assertThat(invoiceEvents).hasSize(1);
        assertThat(invoiceEvents.get(0).subject()).isEqualTo(issued.invoiceId());
        assertThat(invoiceEvents.get(0).correlationId()).isEqualTo("run-1");
    }

    private InvoicedCharges.Issued invoiceOf(String chargeId) {
        return db.inTransaction(c -> InvoicedCharges.of(c, chargeId).orElse(null));
    }

    private void startFlow(org.apache.camel.Processor after) throws Exception {
        Invoicing invoicing = new Invoicing(FiscalTriggerSettings.from(Map.of(FiscalTriggerSettings.TRIGGER,
                "on-payment"), new FiscalTriggerSettings.Issuer("nfse", "11222333000181", "1")), Clock.systemUTC(),
                "clinic");
        camel = new DefaultCamelContext();
        camel.addComponent("jms", client.jmsComponent());
        camel.addRoutes(new FlowsRouteConfiguration(db, Clock.systemUTC()));
        camel.addRoutes(new InvoiceFlow(db, invoicing));
        if (after != null) {
            AdviceWith.adviceWith(camel, InvoiceFlow.ROUTE_ID, a -> a.weaveAddLast().process(after));
        }
        camel.start();
    }

    /** A charge's record in the store and its event (as an import would have written and published them). */
    private CanonicalEvent chargeEvent(String id, String status) {
        String json = "{\"id\":\"" + id + "\",\"patientId\":\"p1\",\"dueDate\":\"2026-03-01\",\"amount\":280.00,"
                + "\"status\":\"" + status + "\"}";
        db.inTransaction(c -> {
            CanonicalStore.save(c, "Charge", id, json, Hashes.sha256(json), Instant.now());
            return null;
        });
        return new CanonicalEvent(Ids.newId(), "ponte://legacy-clinic/legacy", "charge.upserted", id, Instant.now(),
                "clinic", "financeiro@1", "run-1", "legacy:Charge:" + id, json);
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

    private void awaitDrained() {
        await("the flow's queue drained and nothing in flight").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(subscription().getMessageCount() + " on the flow's queue, "
                        + camel.getInflightRepository().size(InvoiceFlow.ROUTE_ID) + " in flight")
                        .isEqualTo("0 on the flow's queue, 0 in flight"));
    }

    private ClientSession.QueueQuery subscription() throws Exception {
        try (ServerLocator locator = ActiveMQClient.createServerLocator(EmbeddedBroker.IN_VM_URL);
             ClientSessionFactory sessions = locator.createSessionFactory();
             ClientSession session = sessions.createSession()) {
            return session.queueQuery(SimpleString.of(Queues.INVOICES));
        }
    }
}
