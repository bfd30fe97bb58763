package dev.ponte.hub;

import dev.ponte.broker.BrokerClient;
import dev.ponte.broker.EmbeddedBroker;
import dev.ponte.broker.Queues;
import dev.ponte.flows.FlowsRouteConfiguration;
import dev.ponte.flows.SinkCommandsFlow;
import dev.ponte.webhook.HubWebhooks;
import dev.ponte.glossary.Glossary;
import dev.ponte.inbound.FolderMappingRegistry;
import dev.ponte.inbound.InboundProcessor;
import dev.ponte.inbound.InboundRoutes;
import dev.ponte.mapping.MappingLoader;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorConfigs;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.outbound.SinkRoutes;
import dev.ponte.store.AuditLog;
import dev.ponte.store.Database;
import dev.ponte.store.SandboxRequests;
import dev.ponte.validation.RecordValidator;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running hub: database, broker, Camel Main with the hub's routes and the configured connectors. One per data
 * directory. Start with {@link #start}; {@link #close} (also run on SIGTERM and Ctrl-C) stops it in one order, see
 * {@link OrderedStop}: the database is closed last.
 */
public final class PonteHub implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PonteHub.class);

    private final HubSettings settings;
    private final Database db;
    private final RecordValidator validator;
    private final Map<String, ConnectorContext> connectors;
    private final Map<String, InboundProcessor> processors;
    private final HubWebhooks webhooks;
    private final dev.ponte.messaging.Messaging messaging;
    private final dev.ponte.fiscal.Invoicing invoicing;
    private final Clock clock;
    private final Map<String, ConnectorInstance> instances = new LinkedHashMap<>();
    private final dev.ponte.clinic.ClinicFlows clinicFlows;
    private EmbeddedBroker broker;
    private HubMetrics metrics;
    /** The business alerts of the configuration (set once by {@link #prepare}). */
    private BusinessAlerts alerts;
    private BrokerClient brokerClient;
    private Main main;

    private PonteHub(HubSettings settings, Database db, RecordValidator validator,
                     Map<String, ConnectorContext> connectors, Map<String, InboundProcessor> processors,
                     HubWebhooks webhooks, dev.ponte.messaging.Messaging messaging,
                     dev.ponte.fiscal.Invoicing invoicing, dev.ponte.clinic.ClinicFlows clinicFlows, Clock clock) {
        this.webhooks = webhooks;
        this.clinicFlows = clinicFlows;
        this.messaging = messaging;
        this.invoicing = invoicing;
        this.clock = clock;
        this.settings = settings;
        this.db = db;
        this.validator = validator;
        this.connectors = connectors;
        this.processors = processors;
    }

    /**
     * This hub's name among several: {@code ponte.cluster.member} (by default the host's name and the data
     * directory), then the process id and a random token, so that no two processes share a name even when their
     * settings do (a one-shot {@code bin/ponte import} beside a running hub, a configuration copied to a second
     * machine): a name holding a lease counts it as its own. A hub restarted after a crash is a new member and waits
     * for its old lease to expire before it runs the scheduled work again.
     */
    static String clusterMember(HubSettings s) {
        String configured = s.get("ponte.cluster.member");
        if (configured == null) {
            String host;
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
            configured = host + ":" + s.dataDir().toAbsolutePath().normalize();
        }
        return configured + "#" + ProcessHandle.current().pid() + "-"
                + java.util.HexFormat.of().toHexDigits((short) new java.security.SecureRandom().nextInt());
    }

    /** Opens the store only (no broker, no routes): for the admin commands that read or repair data. */
    public static Database openDatabase(HubSettings s) {
        String url = s.get("ponte.db.url");
        try {
            Files.createDirectories(s.dataDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create data directory " + s.dataDir(), e);
        }
        return Database.open(url != null ? url : Database.embeddedUrl(s.dataDir()), s.get("ponte.db.user"),
                s.get("ponte.db.password"), s.dbPool());
    }

    /**
     * Validates the configuration (every problem together), opens the store and prepares connector instances.
     * Nothing runs yet.
     *
     * @throws ConfigurationException when the configuration or a mapping folder is wrong
     */
    public static PonteHub prepare(HubSettings s) {
        return prepare(s, Clock.systemDefaultZone());
    }

    /**
     * Like {@link #prepare(HubSettings)}, with the clock of the messaging core and the sinks (tests move time with
     * it; the other parts of the hub use the system clock).
     */
    public static PonteHub prepare(HubSettings s, Clock clock) {
        // every problem together, before anything starts: the hub's settings, every connector instance (its options,
        // their validators and rules, the connector's own checks) and every mapping folder
        List<String> problems = new java.util.ArrayList<>(s.problems());
        Map<String, Connector> types = ConnectorConfigs.discover();
        ConnectorConfigs.Checked checked = ConnectorConfigs.check(s.all(), types,
                Map.of("data-dir", s.dataDir().toString()));
        problems.addAll(checked.problems());
        List<ConnectorConfig> configs = checked.configs();
        Glossary glossary = Glossary.loadDefault();
        RecordValidator validator = new RecordValidator(glossary, Clock.systemDefaultZone());
        MappingLoader loader = new MappingLoader(glossary, validator);
        Map<String, FolderMappingRegistry> registries = new LinkedHashMap<>();
        for (ConnectorConfig c : configs) {
            if (c.has("mappings")) {
                Path folder = c.path("mappings");
                if (!Files.isDirectory(folder)) {
                    problems.add(c.fullKey("mappings") + ": no such folder " + folder.toAbsolutePath());
                    continue;
                }
                try {
                    registries.put(c.instance(), new FolderMappingRegistry(folder, loader));
                } catch (dev.ponte.mapping.MappingException e) {
                    e.problems().forEach(p -> problems.add(c.fullKey("mappings") + ": " + p));
                }
            }
        }
        dev.ponte.messaging.MessagingSettings messagingSettings = MessagingSetup.settings(s, configs, problems);
        dev.ponte.messaging.TemplateSet templates = MessagingSetup.templates(s, messagingSettings, glossary, problems);
        dev.ponte.fiscal.FiscalTriggerSettings fiscal = dev.ponte.fiscal.FiscalTriggerSettings.from(s.all(),
                FiscalInstance.issuer(configs, problems), FiscalInstance.products(configs, problems));
        problems.addAll(fiscal.problems());
        dev.ponte.clinic.ClinicSettings clinicSettings = dev.ponte.clinic.ClinicSettings.from(s.all());
        problems.addAll(clinicSettings.problems());
        String reconcileAt = s.get("ponte.flows.reconcile.at");
        if (reconcileAt != null && !reconcileAt.isBlank() && !"off".equalsIgnoreCase(reconcileAt.strip())) {
            try {
                java.time.LocalTime.parse(reconcileAt.strip());
            } catch (java.time.format.DateTimeParseException e) {
                problems.add("ponte.flows.reconcile.at: '" + reconcileAt + "' is not a time HH:mm (06:00 is the "
                        + "default) or off");
            }
        }
        BusinessAlerts alerts = BusinessAlerts.of(s, problems);
        alerts.mail(AlertMail.of(s, configs, problems));
        if (!problems.isEmpty()) {
            validator.close();
            throw new ConfigurationException(problems);
        }
        Database db = openDatabase(s);
        // every accepted version of a mapping, and every refused change, goes to the mapping history
        String who = System.getProperty("user.name", "unknown");
        registries.values().forEach(r -> r.listen(new dev.ponte.inbound.MappingHistoryRecorder(db, clock, who)));
        Map<String, ConnectorContext> contexts = new LinkedHashMap<>();
        java.util.concurrent.atomic.AtomicReference<PonteHub> hub = new java.util.concurrent.atomic.AtomicReference<>();
        Map<String, InboundProcessor> processors = new LinkedHashMap<>();
        SandboxRequests sandbox = new SandboxRequests(db, Clock.systemDefaultZone());
        HubWebhooks webhooks = new HubWebhooks();
        dev.ponte.messaging.Messaging messaging = new dev.ponte.messaging.Messaging(db, messagingSettings, templates,
                clock, instance -> contexts.get(instance).inbound());
        java.util.Set<String> channelInstances = java.util.Set.copyOf(messagingSettings.connectors().values());
        for (ConnectorConfig c : configs) {
            contexts.put(c.instance(), dev.ponte.inbound.HubConnectorContexts.create(c, s.dataDir(), db,
                    inboundUri(c.instance()), () -> hub.get().camel(), registries.get(c.instance()), sandbox,
                    clock, webhooks, messaging.events()));
            // a channel's instance needs its inbound queue too: patients' replies change appointments through it
            if (c.descriptor().direction() != Direction.SINK || channelInstances.contains(c.instance())) {
                FolderMappingRegistry mappings = registries.get(c.instance());
                processors.put(c.instance(), new InboundProcessor(db, mappings != null ? mappings
                        : name -> java.util.Optional.empty(), validator, Clock.systemDefaultZone(), s.clinic()));
            }
        }
        // invoicing is on with an issuer CNPJ and a trigger that is not off (as messaging is on with a channel)
        dev.ponte.fiscal.Invoicing invoicing = new dev.ponte.fiscal.Invoicing(fiscal, clock, s.clinic());
        hub.set(new PonteHub(s, db, validator, contexts, processors, webhooks, messaging, invoicing,
                new dev.ponte.clinic.ClinicFlows(clinicSettings, clock, s.clinic()), clock));
        hub.get().alerts = alerts;
        return hub.get();
    }

    /**
     * Per instance whose last mapping change was refused: when, and its first problem (file:line); the previous
     * mappings are in force.
     */
    Map<String, String> mappingRefusals() {
        Map<String, String> out = new LinkedHashMap<>();
        connectors.forEach((instance, ctx) -> {
            if (ctx.mappings() instanceof FolderMappingRegistry r) {
                r.refusal().ifPresent(refused -> out.put(instance, "change refused at " + refused.at() + ", "
                        + refused.problems().size() + " problem(s), the previous mappings are in force; first: "
                        + (refused.problems().isEmpty() ? "?" : refused.problems().get(0))));
            }
        });
        return out;
    }

    /** The Camel endpoint of an instance's inbound queue. */
    public static String inboundUri(String instance) {
        return Queues.jms(Queues.inbound(instance));
    }

    /**
     * Starts broker and Camel.
     *
     * @param withConnectorRoutes whether connectors start their own routes (inbox watching, pollers) and the HTTP
     *                            server (webhooks, {@code /health}) runs; {@code false} for one-shot imports, where
     *                            the command feeds the inbound queue itself and no port is taken
     */
    public PonteHub start(boolean withConnectorRoutes) throws Exception {
        try {
            return startAll(withConnectorRoutes);
        } catch (Exception | Error e) {
            // whatever started (database, broker, a connector's client) is released: a caller cannot close a hub it
            // never got, and a database or in-VM broker left open would break the next start in this JVM
            close();
            throw e;
        }
    }

    private PonteHub startAll(boolean withConnectorRoutes) throws Exception {
        String external = settings.get("ponte.broker.url");
        if (external == null) {
            broker = new EmbeddedBroker(settings.brokerSettings());
        }
        brokerClient = new BrokerClient(external != null ? external : EmbeddedBroker.IN_VM_URL,
                settings.get("ponte.broker.user"), settings.get("ponte.broker.password"));

        // before anything is published: events of this run wait there for the flow sink-commands
        brokerClient.ensureFlowSubscriptions(messaging.enabled(), invoicing.enabled());

        main = new Main();
        main.configure().setName("ponte");
        // a one-shot import serves nothing: it must not need (or take) the HTTP port of a hub running beside it
        main.addInitialProperty("camel.server.enabled", String.valueOf(withConnectorRoutes));
        if (withConnectorRoutes) {
            main.addInitialProperty("camel.server.host", settings.get("ponte.http.host"));
            main.addInitialProperty("camel.server.port", settings.get("ponte.http.port"));
            // bodies over the limit are answered 413 before any route (webhook, admin) reads them
            main.addInitialProperty("camel.server.maxBodySize", settings.get("ponte.http.max-body-size"));
        }
        // routes are stopped before Camel, in order and within OrderedStop's time (which logs what did not stop);
        // Camel itself only stops what is left, briefly and without its own timeout report
        main.addInitialProperty("camel.main.shutdownTimeout", "2");
        main.addInitialProperty("camel.main.shutdownSuppressLoggingOnTimeout", "true");
        main.addInitialProperty("camel.main.shutdownLogInflightExchangesOnTimeout", "false");
        // Camel Main's own JVM hook ("hangup interceptor") would stop Camel concurrently with the hub's stop and
        // then hold the JVM for up to the shutdown timeout: close() (run by awaitShutdown) is the only path
        if (main.getShutdownStrategy() instanceof org.apache.camel.main.DefaultMainShutdownStrategy strategy) {
            strategy.disableHangupSupport();
        }
        main.bind("jms", brokerClient.jmsComponent());
        if (db.isPostgres()) {
            // several hubs may share this database: the single-run work runs on the holder of a lease
            LeaseClusterService cluster = new LeaseClusterService(db, clusterMember(settings),
                    java.time.Duration.ofMillis(settings.getLong("ponte.cluster.lease")), Clock.systemUTC());
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void beforeConfigure(org.apache.camel.main.BaseMainSupport m) {
                    try {
                        m.getCamelContext().addService(cluster);
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot add the cluster service", e);
                    }
                    m.getCamelContext().addRoutePolicyFactory(new SingletonWork());
                }
            });
            LOG.info("store is PostgreSQL: the scheduled work runs on one hub at a time (lease {} ms, this hub {})",
                    settings.getLong("ponte.cluster.lease"), cluster.member());
        }
        Map<String, java.util.Set<String>> sinks = new LinkedHashMap<>();
        Map<String, String> fiscalKinds = FiscalInstance.kinds(connectors.values().stream()
                .map(ConnectorContext::config).toList());
        if (withConnectorRoutes) {
            Map<String, Connector> types = ConnectorConfigs.discover();
            for (ConnectorContext ctx : connectors.values()) {
                ConnectorInstance instance = types.get(ctx.config().descriptor().type()).open(ctx);
                instances.put(ctx.instance(), instance);
                if (instance.routes() != null) {
                    main.configure().addRoutesBuilder(instance.routes());
                }
                if (instance.sink() != null) {
                    sinks.put(ctx.instance(), java.util.Set.copyOf(ctx.config().descriptor().writes()));
                    main.configure().addRoutesBuilder(new SinkRoutes(ctx.instance(), instance.sink(), db, clock,
                            dev.ponte.outbound.DeliveryOutcomes.first(messaging.outcomes(),
                                    new dev.ponte.fiscal.InvoiceOutcomes(settings.clinic(), fiscalKinds))));
                }
            }
            // the webhook endpoints the instances registered while they opened
            main.configure().addRoutesBuilder(webhooks.routes());
        }
        HubHealth health = !withConnectorRoutes ? null : new HubHealth(db, brokerClient.connectionFactory(),
                () -> main.getCamelContext(), instances, settings.dataDir(), settings.getLong("ponte.disk.min-free"),
                java.time.Duration.ofMillis(settings.getLong("ponte.health.timeout")), this::mappingRefusals,
                alerts::active);
        alerts.certificates(() -> CertificateExpiries.of(connectors.values().stream().map(ConnectorContext::config)
                .toList()));
        if (withConnectorRoutes && alerts.any()) {
            long every = settings.getLong(BusinessAlerts.CHECK_INTERVAL);
            main.configure().addRoutesBuilder(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    fromF("timer:ponte-alerts?period=%d&delay=%d", every, Math.min(every, 5000))
                            .routeId("business-alerts")
                            .process(e -> alerts.evaluate(db, clock)); // the publisher sends its events within 200 ms
                }
            });
        }
        if (withConnectorRoutes) {
            // /metrics, and Camel's route metrics (every sink's deliveries, failures, latency) into the same registry
            metrics = new HubMetrics(db, broker, settings.dataDir().resolve("reports"));
            org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory routeMetrics =
                    new org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory();
            routeMetrics.setMeterRegistry(metrics.registry());
            main.addMainListener(new org.apache.camel.main.MainListenerSupport() {
                @Override
                public void beforeConfigure(org.apache.camel.main.BaseMainSupport m) {
                    m.getCamelContext().addRoutePolicyFactory(routeMetrics);
                }
            });
            main.configure().addRoutesBuilder(new MetricsRoutes(metrics));
            // the admin API under /api on the same HTTP server (README "Admin API")
            main.configure().addRoutesBuilder(new dev.ponte.admin.AdminApi(this, health::check, settings.dataDir(),
                    clock));
            main.configure().addRoutesBuilder(new dev.ponte.admin.ConsoleRoutes());
            // the event → command flow, with or without sinks (without, it only drains its subscription). A one-shot
            // import does not run it: its events wait in the durable subscription for the next `ponte run`
            main.configure().addRoutesBuilder(new FlowsRouteConfiguration(db, Clock.systemDefaultZone()));
            main.configure().addRoutesBuilder(new SinkCommandsFlow(db, sinks));
            main.configure().addRoutesBuilder(new dev.ponte.flows.ClinicFlow(db, clinicFlows));
            if (messaging.enabled()) {
                main.configure().addRoutesBuilder(new dev.ponte.flows.ReminderFlow(db, messaging));
                main.configure().addRoutesBuilder(new dev.ponte.messaging.MessageRoutes(messaging,
                        brokerClient.sharedConnectionFactory()));
            }
            if (invoicing.enabled()) {
                main.configure().addRoutesBuilder(new dev.ponte.flows.InvoiceFlow(db, invoicing));
            }
            String reconcileAt = settings.get("ponte.flows.reconcile.at");
            if (reconcileAt != null && !reconcileAt.isBlank() && !"off".equalsIgnoreCase(reconcileAt.strip())) {
                java.time.ZoneId zone = java.time.ZoneId.of(settings.get("ponte.messaging.zone"));
                main.configure().addRoutesBuilder(new dev.ponte.flows.ReconciliationFlow(db,
                        new dev.ponte.reconcile.Reconciliation(zone, invoicing.settings().from()),
                        java.time.LocalTime.parse(reconcileAt.strip()), zone, settings.dataDir().resolve("reports"),
                        settings.clinic(), clock));
            }
        }
        HubRoutes hubRoutes = new HubRoutes(db, sinks, health, external == null
                ? settings.getInt("ponte.broker.max-delivery-attempts") : 0, brokerClient.sharedConnectionFactory(),
                messaging.outcomes(), settings.getInt("ponte.events.retention-days"));
        main.configure().addRoutesBuilder(hubRoutes);
        processors.forEach((name, processor) -> main.configure().addRoutesBuilder(new InboundRoutes(name, processor,
                (message, results) -> {
                    HubRoutes.writeReportIfComplete(db, message);
                    if (metrics != null) {
                        metrics.processed(name, message, results);
                    }
                    if (results.stream().anyMatch(r -> r.outcome().appendsEvent())) {
                        hubRoutes.publishSoon(); // its events go out now, not at the publisher's next look
                    }
                })));
        main.start();
        db.inTransaction(c -> {
            AuditLog.append(c, "hub", "hub.start", settings.dataDir().toString(), "connectors "
                    + connectors.keySet() + (withConnectorRoutes ? "" : " (one-shot)"), null, Instant.now());
            return null;
        });
        LOG.info("Ponte started: data in {}, database {}, broker {}", settings.dataDir(), db.url(),
                external != null ? external : "embedded");
        return this;
    }

    /**
     * Blocks until the process is asked to stop (SIGTERM, Ctrl-C), then runs {@link #close} and returns. The signals
     * are handled here, before the JVM's shutdown begins: on a JVM shutdown hook the stop would run concurrently with
     * H2's own hook, which closed the database under the last chunk in flight ("Database is already closed", a failed
     * delivery attempt), and H2 does not allow turning that hook off with AUTO_SERVER. A JVM shutdown hook remains
     * for other ways of ending the process (SIGHUP, {@code System.exit}). The stop is waited for at most
     * {@link OrderedStop#LIMIT}: past that one warning says what was still stopping and the process exits anyway
     * (what did not commit is delivered again on the next start).
     *
     * @return {@code true} when the hub stopped completely, {@code false} when the stop was cut short
     */
    public boolean awaitShutdown() throws InterruptedException {
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        for (String signal : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> asked.countDown());
            } catch (IllegalArgumentException notOnThisPlatform) {
                LOG.debug("SIG{} cannot be handled here; the JVM shutdown hook stops the hub", signal);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                close();
            }
        }, "ponte-shutdown"));
        asked.await();
        if (!stopping.compareAndSet(false, true)) {
            return true; // the JVM is already exiting and its hook stops the hub
        }
        stopDeadline = System.nanoTime() + OrderedStop.LIMIT.toNanos();
        Thread closing = new Thread(this::close, "ponte-stop");
        closing.setDaemon(true);
        closing.start();
        closing.join(OrderedStop.LIMIT.toMillis());
        if (closing.isAlive()) {
            LOG.warn("stop: still stopping {} after {} s; exiting anyway (messages not committed are delivered"
                    + " again on the next start)", stop.current(), OrderedStop.LIMIT.toSeconds());
            return false;
        }
        return true;
    }

    /**
     * The messages the embedded broker holds (queued, being delivered, waiting for a redelivery), or -1 with an
     * external broker, whose queues the hub does not see.
     */
    public long brokerPendingMessages() {
        return broker == null ? -1 : broker.pendingMessages();
    }

    public Database database() {
        return db;
    }

    /** The messaging core of this hub. */
    public dev.ponte.messaging.Messaging messaging() {
        return messaging;
    }

    /** The fiscal trigger of this hub (on when an issuer CNPJ is configured and the trigger is not off). */
    public dev.ponte.fiscal.Invoicing invoicing() {
        return invoicing;
    }

        public HubSettings settings() {
        return settings;
    }

    /**
     * Opens one configured instance for a one-shot use outside its routes (its {@link ConnectorInstance#fileImport()}),
     * on a hub started without connector routes; the hub closes it when it stops.
     *
     * @throws IllegalArgumentException when no such instance is configured
     */
    public synchronized ConnectorInstance openForOneShot(String instance) {
        ConnectorInstance open = instances.get(instance);
        if (open != null) {
            return open;
        }
        ConnectorContext ctx = connectors.get(instance);
        if (ctx == null) {
            throw new IllegalArgumentException("no connector instance '" + instance + "' is configured (instances: "
                    + connectors.keySet() + ")");
        }
        open = ConnectorConfigs.discover().get(ctx.config().descriptor().type()).open(ctx);
        instances.put(instance, open);
        return open;
    }

    public Map<String, ConnectorContext> connectors() {
        return connectors;
    }

    public InboundProcessor processor(String instance) {
        return processors.get(instance);
    }

    public CamelContext camel() {
        return main.getCamelContext();
    }

    public ProducerTemplate producer() {
        return main.getCamelContext().createProducerTemplate();
    }

    /** The embedded database is compacted at stop when at least this large and less full ({@code ponte.db.compact-on-stop}). */
    static final long COMPACT_MIN_BYTES = 32L << 20;
    static final int COMPACT_BELOW_FILL_PERCENT = 85;

    /** When a signalled stop must be over ({@link #awaitShutdown}); 0 for a stop by {@link #close} alone. */
    private volatile long stopDeadline;

    private boolean closed;
    private final OrderedStop stop = new OrderedStop();

    /**
     * Stops the hub in the order of {@link OrderedStop}: sources, consumers (in-flight messages commit), publisher,
     * Camel, connector instances, broker client, embedded broker, and the database last.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        try {
            if (main != null) {
                if (main.getCamelContext() != null) { // null when the start failed before Camel was built
                    stop.routes(main.getCamelContext(), processors.keySet());
                }
                stop.step("Camel");
                main.stop();
                main = null;
            }
            stop.step("connector instances");
            instances.forEach((name, instance) -> {
                try {
                    instance.close();
                } catch (RuntimeException e) {
                    LOG.warn("{}: error while closing: {}", name, e.getMessage());
                }
            });
            if (brokerClient != null) {
                stop.step("broker client");
                brokerClient.close();
                brokerClient = null;
            }
            if (broker != null) {
                stop.step("embedded broker");
                broker.close();
                broker = null;
            }
        } catch (Exception e) {
            LOG.warn("error while stopping {}: {}", stop.current(), e.getMessage());
        } finally {
            stop.step("database");
            validator.close();
            if (settings.bool("ponte.db.compact-on-stop")) {
                // within what is left of a signalled stop's time (less a margin), unbounded otherwise (an import)
                long budget = stopDeadline == 0 ? Long.MAX_VALUE
                        : (stopDeadline - System.nanoTime()) / 1_000_000 - 1_000;
                db.closeCompacting(COMPACT_MIN_BYTES, COMPACT_BELOW_FILL_PERCENT, budget);
            } else {
                db.close();
            }
            stop.step("nothing");
        }
        LOG.info("Ponte stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
