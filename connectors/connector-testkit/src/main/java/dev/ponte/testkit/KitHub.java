package dev.ponte.testkit;

import dev.ponte.broker.BrokerClient;
import dev.ponte.broker.BrokerSettings;
import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.broker.Queues;
import dev.ponte.glossary.Glossary;
import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.inbound.InboundProcessor;
import dev.ponte.inbound.InboundRoutes;
import dev.ponte.inbound.RowResult;
import dev.ponte.json.Json;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.outbound.SinkRoutes;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.Sink;
import dev.ponte.store.Database;
import dev.ponte.store.DeadLetters;
import dev.ponte.store.OutboundEffects;
import dev.ponte.store.SandboxRequests;
import dev.ponte.validation.RecordValidator;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.impl.DefaultCamelContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connector instance running the way the hub runs it: real embedded Artemis (fast redelivery: 4 attempts,
 * 100 ms doubling), real H2 store with the hub's migrations, a Camel context with the instance's routes, the hub's
 * inbound route on {@code ponte.in.<instance>} and the hub's sink route on {@code ponte.out.<instance>}. Everything
 * lives in one folder. An HTTP server on a free local port serves the instance's webhook routes ({@link #httpUrl()}). One at a time per JVM (the in-VM broker id is fixed).
 */
public final class KitHub implements AutoCloseable {

    public static final String INSTANCE = "kit";

    private final Database db;
    private final EmbeddedBroker broker;
    private final BrokerClient client;
    private final RecordValidator validator;
    private final ConnectorConfig config;
    private final ConnectorInstance instance;
    private final CamelContext camel;
    private final List<RowResult> results = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger deliveries = new AtomicInteger();
    private final AtomicInteger bugs = new AtomicInteger();
    private final int httpPort;
    private final RecordingMessageEvents messageEvents = new RecordingMessageEvents();

    private KitHub(Connector connector, Map<String, String> options, boolean sandbox, Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ConnectorConfigs.PREFIX + INSTANCE + ".type", connector.descriptor().type());
        properties.put(ConnectorConfigs.PREFIX + INSTANCE + ".sandbox", String.valueOf(sandbox));
        options.forEach((k, v) -> properties.put(ConnectorConfigs.PREFIX + INSTANCE + "." + k, v));
        config = ConnectorConfigs.validate(properties, Map.of(connector.descriptor().type(), connector),
                Map.of("data-dir", dir.toString())).get(0);
        // what is open so far is closed again when a later step fails (a connector refusing its configuration in
        // open()): a database or an in-VM broker left behind would break the next test, not this one
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            db = Database.open(Database.embeddedUrl(dir), null, null);
            opened.add(db);
            broker = new EmbeddedBroker(new BrokerSettings(dir.resolve("broker"), null, 4, 100, 2.0, 1000));
            opened.add(broker);
            client = new BrokerClient(EmbeddedBroker.IN_VM_URL, null, null);
            opened.add(client);
            Glossary glossary = Glossary.loadDefault();
            validator = new RecordValidator(glossary, Clock.systemDefaultZone());
            opened.add(validator::close);
            FolderMappingRegistry mappings = config.has("mappings")
                    ? new FolderMappingRegistry(config.path("mappings"), new MappingLoader(glossary, validator)) : null;
            java.util.concurrent.atomic.AtomicReference<CamelContext> camelRef =
                    new java.util.concurrent.atomic.AtomicReference<>();
            dev.ponte.webhook.HubWebhooks webhooks = new dev.ponte.webhook.HubWebhooks();
            ConnectorContext context = dev.ponte.inbound.HubConnectorContexts.create(config, dir, db,
                    Queues.jms(Queues.inbound(INSTANCE)), camelRef::get, mappings,
                    new SandboxRequests(db, Clock.systemDefaultZone()), Clock.systemDefaultZone(), webhooks, messageEvents);
            instance = connector.open(context);
            opened.add(instance);
            camel = new DefaultCamelContext();
            camelRef.set(camel);
            opened.add(camel);
            camel.getRegistry().bind("jms", client.jmsComponent());
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                httpPort = free.getLocalPort();
            }
            MainHttpServer http = new MainHttpServer();
            http.setCamelContext(camel);
            http.setHost("127.0.0.1");
            http.setPort(httpPort);
            http.setPath("/");
            camel.addService(http);
            InboundProcessor processor = new InboundProcessor(db, mappings != null ? mappings
                    : name -> java.util.Optional.empty(), validator, Clock.systemDefaultZone(), "kit-clinic");
            camel.addRoutes(new InboundRoutes(INSTANCE, processor, (message, rows) -> results.addAll(rows)));
            if (instance.routes() != null) {
                camel.addRoutes(instance.routes());
            }
            camel.addRoutes(webhooks.routes());
            Sink sink = instance.sink();
            if (sink != null) {
                Sink counting = command -> {
                    deliveries.incrementAndGet();
                    if (bugs.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        throw new NullPointerException("a bug in the sink, simulated by the connector kit");
                    }
                    return sink.deliver(command);
                };
                camel.addRoutes(new SinkRoutes(INSTANCE, counting, db, Clock.systemDefaultZone()));
            }
            camel.start();
        } catch (Exception | Error e) {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Opens and starts an instance named {@value #INSTANCE}.
     *
     * @param options its options, without the {@code ponte.connectors.kit.} prefix
     * @param sandbox whether the instance runs in sandbox mode
     * @param dir     a fresh folder for the store and the broker journal
     */
    public static KitHub start(Connector connector, Map<String, String> options, boolean sandbox, Path dir)
            throws Exception {
        return new KitHub(connector, options, sandbox, dir);
    }

    /** What the instance reported through {@code MessageEvents}: statuses and replies, in order. */
    public RecordingMessageEvents messageEvents() {
        return messageEvents;
    }

    public ConnectorConfig config() {
        return config;
    }

    public ConnectorInstance instance() {
        return instance;
    }

    public Database database() {
        return db;
    }

    /** The instance's connector state, as the connector sees it. */
    public dev.ponte.spi.ConnectorStateStore state() {
        return new dev.ponte.store.StoreConnectorState(db, INSTANCE);
    }

    /** Stores a canonical record the hub already holds (JSON payload), for tests of changes coming back. */
    public void seedCanonical(String entity, String id, String payload) {
        db.inTransaction(c -> {
            dev.ponte.store.CanonicalStore.save(c, entity, id, payload, dev.ponte.store.Hashes.sha256(payload),
                    java.time.Instant.now());
            return null;
        });
    }

    /** The stored payload of a canonical record, or {@code null}. */
    public String canonicalPayload(String entity, String id) {
        return db.inTransaction(c -> dev.ponte.store.CanonicalStore.payload(c, entity, id)).orElse(null);
    }

    /** The actions of the audit log, oldest first. */
    public List<String> auditActions() {
        return db.inTransaction(c -> {
            List<String> out = new ArrayList<>();
            try (java.sql.ResultSet rs = c.createStatement()
                    .executeQuery("select action from audit_log order by seq")) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** Base URL of the hub's HTTP server (webhooks), e.g. {@code http://127.0.0.1:41234}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public CamelContext camel() {
        return camel;
    }

    /** Puts a command on {@code ponte.out.kit}, as the hub's event publisher does. */
    public void send(OutboundCommand command) throws Exception {
        camel.createProducerTemplate().sendBody(Queues.jms(Queues.outbound(INSTANCE)),
                Json.MAPPER.writeValueAsString(command));
    }

    /**
     * The next {@code times} deliveries fail with a {@link NullPointerException} before reaching the connector's sink,
     * as a bug in it would: outside the error contract, so never retried.
     */
    public void sinkHasABug(int times) {
        bugs.set(times);
    }

    /** Puts a message that is not an outbound command on {@code ponte.out.kit} (a local fault, not a remote one). */
    public void sendRaw(String body) {
        camel.createProducerTemplate().sendBody(Queues.jms(Queues.outbound(INSTANCE)), body);
    }

    /** Outcomes of every record that went through the hub's inbound pipeline so far. */
    public List<InboundResult> inboundResults() {
        synchronized (results) {
            return results.stream().map(r -> new InboundResult(r.line(), r.key(),
                    InboundResult.Outcome.valueOf(r.outcome().name()),
                    r.violations().stream().map(dev.ponte.validation.Violation::rule).toList())).toList();
        }
    }

    /** How many times the hub called the sink's {@code deliver}. */
    public int deliveries() {
        return deliveries.get();
    }

    /** The open dead letters. */
    public List<OpenDeadLetter> deadLetters() {
        return db.inTransaction(c -> DeadLetters.list(c, DeadLetters.Filter.OPEN)).stream()
                .map(d -> new OpenDeadLetter(d.errorClass().name(), d.rules(), d.violations(), d.sourceKey(),
                        d.connector(), d.payload())).toList();
    }

    public long recordedEffects() {
        return db.inTransaction(c -> OutboundEffects.count(c, INSTANCE));
    }

    public List<SandboxRequests.Request> sandboxRequests() {
        return db.inTransaction(c -> SandboxRequests.list(c, INSTANCE));
    }

    @Override
    public void close() throws Exception {
        try {
            camel.close();
            instance.close();
            client.close();
            broker.close();
        } finally {
            validator.close();
            db.close();
        }
    }
}
