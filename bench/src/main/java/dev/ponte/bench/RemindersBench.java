package dev.ponte.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.hub.HubSettings;
import dev.ponte.hub.PonteHub;
import dev.ponte.json.Json;
import dev.ponte.messaging.MessagePurpose;
import dev.ponte.messaging.MessageRoutes;
import dev.ponte.messaging.MessagingSettings;
import dev.ponte.messaging.Reminders;
import dev.ponte.model.MessageStatus;
import dev.ponte.store.CanonicalStore;
import dev.ponte.store.Database;
import dev.ponte.store.Ids;
import dev.ponte.store.Messages;

import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * {@code bench/run reminders}: N reminders falling due at the same instant, sent by an in-process hub (embedded
 * Artemis and H2, the messaging core, the {@code whatsapp} connector with its throughput cap) to a local stand-in of
 * the Cloud API ({@link GraphStandIn}); and, in the same run against the same stand-in, the same N template posts
 * sent by a plain {@link HttpClient} with the same cap (and without), no hub.
 *
 * <p>The hub's messaging clock is the system clock plus an offset the benchmark sets: the patients, appointments and
 * N {@code SCHEDULED} reminders (due at T0, an hour ahead) are written straight into the store while the hub runs and
 * its dispatcher sees nothing due; then the offset is set so that the hub's clock reads T0 ("go") and goes on with
 * real time (the sink's throughput cap reads the same clock). Latency is from go to the moment the stand-in accepted
 * the message's post. Every patient has a unique mobile number, so each post is related to its message by its
 * {@code "to"}: duplicates and misses are counted per patient.
 */
final class RemindersBench {

    private static final ZoneId SP = ZoneId.of("America/Sao_Paulo");
    private static final String PROCEDURE = "Limpeza de pele profunda";
    private static final String PROFESSIONAL = "Dra. Camila Rocha";
    private static final int SEED_CHUNK = 1000;
    private static final Duration STALL = Duration.ofSeconds(60);

    private RemindersBench() {
    }

    /** What one phase (a baseline or the hub) got accepted by the stand-in. Times in ms from the phase's start. */
    record Phase(String name, int count, int accepted, int distinct, int duplicatePatients, int extraSends,
                 int missing, int unknown, int mismatched, double seconds, double perSecond, double firstMs,
                 double p50Ms, double p90Ms, double p99Ms, double maxMs, int maxInAnySecond,
                 double shortestSpanOfCapPlusOneMs, int windowsOverCap, Instant firstAccepted, Instant lastAccepted) {
    }

    /** The hub's clock: real time plus an offset the benchmark moves. */
    static final class OffsetClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void offset(Duration d) {
            offset = d;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    static void run(Path home, Path work, int count, int rate, Integer batch, Integer intervalMs, ObjectNode out)
            throws Exception {
        ObjectNode o = out.putObject("reminders");
        o.put("count", count);
        o.put("messagesPerSecondCap", rate);
        try (GraphStandIn standIn = new GraphStandIn()) {
            System.out.printf("stand-in of the Graph API at %s; %,d messages, cap %,d/s%n", standIn.baseUrl(), count,
                    rate);
            // the plain client first, uncapped (it also warms the stand-in up), then with the hub's cap
            o.put("loadAverageBeforeBaseline", loadAverage());
            Phase uncapped = baseline(standIn, count, 0);
            Phase capped = baseline(standIn, count, rate);
            o.put("loadAverageBeforeHub", loadAverage());
            ObjectNode hubNode = o.putObject("hub");
            Phase hub = hub(home, work.resolve("data-reminders"), standIn, count, rate, batch, intervalMs, hubNode);
            o.put("loadAverageAfterHub", loadAverage());
            o.set("baselineUncapped", Json.MAPPER.valueToTree(uncapped));
            o.set("baselineCapped", Json.MAPPER.valueToTree(capped));
            hubNode.set("phase", Json.MAPPER.valueToTree(hub));

            System.out.println();
            System.out.printf("%-18s %7s %5s %5s %9s %8s %8s %8s %8s %8s %9s%n", "reminders", "sent", "dup", "miss",
                    "seconds", "msg/s", "p50 s", "p90 s", "p99 s", "max s", "max/1 s");
            for (Phase p : List.of(uncapped, capped, hub)) {
                System.out.printf("%-18s %,7d %5d %5d %9.1f %,8.1f %8.2f %8.2f %8.2f %8.2f %9d%n", p.name(),
                        p.distinct(), p.extraSends(), p.missing(), p.seconds(), p.perSecond(), p.p50Ms() / 1e3,
                        p.p90Ms() / 1e3, p.p99Ms() / 1e3, p.maxMs() / 1e3, p.maxInAnySecond());
            }
            double ratio = hub.perSecond() / capped.perSecond();
            double ratioUncapped = hub.perSecond() / uncapped.perSecond();
            o.put("hubOverBaselineCapped", ratio);
            o.put("hubOverBaselineUncapped", ratioUncapped);
            o.put("hubP50OverBaselineCappedP50", hub.p50Ms() / capped.p50Ms());
            o.put("hubP99OverBaselineCappedP99", hub.p99Ms() / capped.p99Ms());
            boolean capKept = hub.maxInAnySecond() <= rate;
            boolean once = hub.extraSends() == 0 && hub.missing() == 0 && hub.unknown() == 0 && hub.mismatched() == 0;
            o.put("capRespected", capKept);
            o.put("everyMessageOnce", once);
            System.out.printf("hub / baseline with the cap: %.2f× messages/s (p50 %.2f×, p99 %.2f×); hub / uncapped "
                    + "baseline: %.2f×%n", ratio, hub.p50Ms() / capped.p50Ms(), hub.p99Ms() / capped.p99Ms(),
                    ratioUncapped);
            System.out.printf("cap: at most %d accepted in any 1 s window at the stand-in (cap %d): %s; the "
                    + "shortest span of %d sends: hub %.1f ms, baseline with the same rule %.1f ms (%d and %d windows "
                    + "over)%n", hub.maxInAnySecond(), rate, capKept ? "respected" : "EXCEEDED", rate + 1,
                    hub.shortestSpanOfCapPlusOneMs(), capped.shortestSpanOfCapPlusOneMs(), hub.windowsOverCap(),
                    capped.windowsOverCap());
            System.out.printf("exactly once: %,d of %,d patients got their reminder, %d duplicate(s), %d missing, "
                    + "%d unknown, %d with a name that does not match the number: %s%n", hub.distinct(), count,
                    hub.extraSends(), hub.missing(), hub.unknown(), hub.mismatched(), once ? "yes" : "NO");
        }
    }

    // ---------------------------------------------------------------- baseline: a plain client, no hub

    private static Phase baseline(GraphStandIn standIn, int count, int rate) throws Exception {
        String name = rate > 0 ? "baseline-capped" : "baseline-uncapped";
        System.out.printf("running %s (one java.net.http client, one request at a time%s)...%n", name,
                rate > 0 ? ", at most " + rate + " per second" : "");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        URI uri = URI.create(standIn.baseUrl() + "/v21.0/" + GraphStandIn.PHONE_ID + "/messages");
        OffsetDateTime start = OffsetDateTime.now(SP).plusDays(2).truncatedTo(ChronoUnit.HOURS);
        String date = String.format("%02d/%02d/%04d", start.getDayOfMonth(), start.getMonthValue(), start.getYear());
        String time = String.format("%02d:%02d", start.getHour(), start.getMinute());
        Limiter limiter = rate > 0 ? new Limiter(rate) : null;
        GraphStandIn.Recording r = standIn.record(count);
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            String body = payload(GraphStandIn.phone(i).substring(1), GraphStandIn.firstName(i), date, time);
            if (limiter != null) {
                limiter.acquire();
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer bench-token")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200
                    || !Json.MAPPER.readTree(response.body()).path("messages").path(0).path("id").isTextual()) {
                throw new IllegalStateException("the stand-in answered " + response.statusCode() + ": "
                        + response.body());
            }
        }
        return summarize(name, r, t0, rate);
    }

    /** The body the whatsapp connector posts for the reminder template (MessagePayloads), built the same way. */
    private static String payload(String to, String first, String date, String time) throws JsonProcessingException {
        ObjectNode root = Json.MAPPER.createObjectNode().put("messaging_product", "whatsapp")
                .put("recipient_type", "individual").put("to", to).put("type", "template");
        ObjectNode template = root.putObject("template").put("name", "ponte_lembrete_consulta");
        template.putObject("language").put("code", "pt_BR");
        ArrayNode components = template.putArray("components");
        ArrayNode parameters = components.addObject().put("type", "body").putArray("parameters");
        for (String p : List.of(first, PROCEDURE, PROFESSIONAL, date, time)) {
            parameters.addObject().put("type", "text").put("text", p);
        }
        List<String> buttons = List.of("CONFIRM", "CANCEL");
        for (int i = 0; i < buttons.size(); i++) {
            components.addObject().put("type", "button").put("sub_type", "quick_reply")
                    .put("index", Integer.toString(i)).putArray("parameters").addObject()
                    .put("type", "payload").put("payload", buttons.get(i));
        }
        return Json.MAPPER.writeValueAsString(root);
    }

    /** The connector's limiter, same rule (at most {@code perSecond} within any 1,000 ms, millisecond clock). */
    private static final class Limiter {
        private final int perSecond;
        private final ArrayDeque<Long> sent = new ArrayDeque<>();

        Limiter(int perSecond) {
            this.perSecond = perSecond;
        }

        void acquire() throws InterruptedException {
            while (true) {
                long now = System.currentTimeMillis();
                while (!sent.isEmpty() && sent.peekFirst() < now - 1000) {
                    sent.removeFirst();
                }
                if (sent.size() < perSecond) {
                    sent.addLast(now);
                    return;
                }
                Thread.sleep(sent.peekFirst() + 1001 - now);
            }
        }
    }

    // ---------------------------------------------------------------- the hub

    private static Phase hub(Path home, Path data, GraphStandIn standIn, int count, int rate, Integer batch,
                             Integer intervalMs, ObjectNode o) throws Exception {
        BenchMain.fresh(data);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> settings = new HashMap<>();
        settings.put("ponte.http.port", String.valueOf(port));
        settings.put("ponte.connectors.legacy.mappings", home.resolve("mappings/legacy-clinic").toString());
        settings.put("ponte.connectors.wa.type", "whatsapp");
        settings.put("ponte.connectors.wa.phone-number-id", GraphStandIn.PHONE_ID);
        settings.put("ponte.connectors.wa.access-token", "bench-access-token-0123456789");
        settings.put("ponte.connectors.wa.app-secret", "bench-app-secret-0123456789");
        settings.put("ponte.connectors.wa.verify-token", "bench-verify-token-0123456789");
        settings.put("ponte.connectors.wa.base-url", standIn.baseUrl());
        settings.put("ponte.connectors.wa.messages-per-second", String.valueOf(rate));
        settings.put("ponte.messaging.channels", "whatsapp");
        settings.put("ponte.messaging.quiet-hours", "");
        settings.put("ponte.messaging.quiet-days", "");
        settings.put("ponte.messaging.templates", home.resolve("mappings/templates").toString());
        if (batch != null) {
            settings.put("ponte.messaging.batch", String.valueOf(batch));
        }
        if (intervalMs != null) {
            settings.put("ponte.messaging.dispatch-interval", String.valueOf(intervalMs));
        }
        OffsetClock clock = new OffsetClock();
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.out.println("running hub (embedded Artemis and H2, whatsapp connector → stand-in)...");
        long started = System.nanoTime();
        try (PonteHub hub = PonteHub.prepare(HubSettings.load(data, null, settings), clock).start(true)) {
            MessagingSettings ms = hub.messaging().settings();
            o.put("startSeconds", (System.nanoTime() - started) / 1e9);
            o.put("batch", ms.batch());
            o.put("dispatchIntervalMs", ms.interval().toMillis());
            Instant t0 = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
            long seedStart = System.nanoTime();
            seed(hub.database(), count, t0);
            double seedSeconds = (System.nanoTime() - seedStart) / 1e9;
            o.put("seedSeconds", seedSeconds);
            System.out.printf("seeded %,d patients, appointments and reminders due at T0 in %.1f s; dispatcher: at "
                    + "most %d every %d ms%n", count, seedSeconds, ms.batch(), ms.interval().toMillis());
            Thread.sleep(2000); // the hub's first looks (recovery, nothing due) are over
            DispatchProbe probe = new DispatchProbe();
            probe.setIgnoreCamelContextEvents(true);
            probe.setIgnoreRouteEvents(true);
            probe.setIgnoreServiceEvents(true);
            probe.setIgnoreStepEvents(true);
            hub.camel().getManagementStrategy().addEventNotifier(probe);
            ServiceHelper.startService(probe);
            hub.camel().getCamelContextExtension().setEventNotificationApplicable(true);
            GraphStandIn.Recording r = standIn.record(count);
            long cpu0 = cpu.getProcessCpuTime();
            Instant real = Instant.now();
            long go = System.nanoTime();
            probe.on = true;
            clock.offset(Duration.between(real, t0)); // the hub's clock reads T0 now: all N are due
            long lastProgress = go;
            int lastDistinct = 0;
            while (r.distinct.get() < count) {
                Thread.sleep(50); // polls the stand-in's counter only, never the hub's store
                int d = r.distinct.get();
                if (d != lastDistinct) {
                    lastDistinct = d;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    System.out.printf("no send for %d s: stopping with %,d of %,d accepted%n", STALL.toSeconds(), d,
                            count);
                    break;
                }
            }
            long cpu1 = cpu.getProcessCpuTime();
            probe.on = false;
            Phase phase = summarize("hub", r, go, rate);
            o.put("processCpuSeconds", (cpu1 - cpu0) / 1e9);
            // the store is looked at once the stand-in has everything (until the last SENT is committed)
            Map<String, Long> statuses = Map.of();
            for (int i = 0; i < 60; i++) {
                statuses = hub.database().read(Messages::countsByStatus);
                if (statuses.getOrDefault(MessageStatus.SENT.name(), 0L) >= count) {
                    break;
                }
                Thread.sleep(500);
            }
            o.set("messagesByStatus", Json.MAPPER.valueToTree(statuses));
            dispatcher(probe, t0, hub.database(), go, o);
            handOffProbe(hub, probe.command, o);
            Thread.sleep(1500); // a late duplicate would have reached the stand-in by now
            phase = summarize("hub", r, go, rate);
            System.out.printf("store: %s%n", statuses);
            return phase;
        }
    }

    /** N patients (WhatsApp REMINDERS consent, unique mobile), N appointments 48 h after T0, N reminders due at T0. */
    private static void seed(Database db, int count, Instant t0) {
        Instant now = Instant.now();
        String professionalId = Ids.newId();
        db.inTransaction(c -> {
            CanonicalStore.save(c, "Procedure", "P001", json(Json.MAPPER.createObjectNode().put("code", "P001")
                    .put("name", PROCEDURE).put("kind", "SERVICE").put("durationMinutes", 60)), "bench", now);
            CanonicalStore.save(c, "Professional", professionalId, json(Json.MAPPER.createObjectNode()
                    .put("id", professionalId).put("name", PROFESSIONAL).put("council", "CRM")), "bench", now);
            return null;
        });
        OffsetDateTime start = OffsetDateTime.ofInstant(t0.plus(Duration.ofHours(48)), SP);
        for (int from = 0; from < count; from += SEED_CHUNK) {
            int to = Math.min(count, from + SEED_CHUNK);
            int first = from;
            db.inTransaction(c -> {
                for (int i = first; i < to; i++) {
                    String patientId = Ids.newId();
                    String appointmentId = Ids.newId();
                    ObjectNode patient = Json.MAPPER.createObjectNode().put("id", patientId)
                            .put("name", GraphStandIn.firstName(i) + " Souza").put("mobilePhone",
                                    GraphStandIn.phone(i));
                    patient.putArray("consents").addObject().put("channel", "WHATSAPP").put("purpose", "REMINDERS")
                            .put("granted", true);
                    CanonicalStore.save(c, "Patient", patientId, json(patient), "bench", now);
                    ObjectNode appointment = Json.MAPPER.createObjectNode().put("id", appointmentId)
                            .put("patientId", patientId).put("professionalId", professionalId)
                            .put("procedureCode", "P001").put("start", start.toString())
                            .put("end", start.plusHours(1).toString()).put("status", "SCHEDULED");
                    CanonicalStore.save(c, "Appointment", appointmentId, json(appointment), "bench", now);
                    Messages.insert(c, new Messages.StoredMessage(Ids.newId(),
                            Reminders.businessKey(appointmentId, Duration.ofHours(48)), patientId, appointmentId,
                            MessagePurpose.REMINDER.id(), Reminders.TEMPLATE, MessageStatus.SCHEDULED, null, null,
                            null, List.of(), t0, t0, null, null, null, null, now));
                }
                return null;
            });
        }
    }

    /**
     * Times the dispatcher from inside the hub's Camel context, without changing it: each look of the timer route
     * {@value MessageRoutes#ROUTE_ID} (its exchange created → completed) and each command handed to
     * {@code ponte.out.<instance>} (the producer template's "sent" event). A look first decides its whole batch (one
     * transaction per message), then sends the commands: decide = look start → first hand-off of the look.
     */
    static final class DispatchProbe extends EventNotifierSupport {
        final ConcurrentLinkedQueue<long[]> looks = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Long> handoffs = new ConcurrentLinkedQueue<>();
        /** The first command handed on, as sent (the body of {@link #handOffProbe}). */
        volatile String command;
        private final Map<String, Long> open = new ConcurrentHashMap<>();
        volatile boolean on;

        @Override
        public void notify(CamelEvent event) {
            if (!on) {
                return;
            }
            long now = System.nanoTime();
            if (event instanceof CamelEvent.ExchangeSentEvent sent
                    && sent.getEndpoint().getEndpointUri().contains("ponte.out.")) {
                handoffs.add(now);
                if (command == null) {
                    command = sent.getExchange().getIn().getBody(String.class);
                }
            } else if (event instanceof CamelEvent.ExchangeEvent e
                    && MessageRoutes.ROUTE_ID.equals(e.getExchange().getFromRouteId())) {
                if (event instanceof CamelEvent.ExchangeCreatedEvent) {
                    open.put(e.getExchange().getExchangeId(), now);
                } else if (event instanceof CamelEvent.ExchangeCompletedEvent
                        || event instanceof CamelEvent.ExchangeFailedEvent) {
                    Long start = open.remove(e.getExchange().getExchangeId());
                    if (start != null) {
                        looks.add(new long[]{start, now});
                    }
                }
            }
        }
    }

    private static void dispatcher(DispatchProbe probe, Instant t0, Database db, long go, ObjectNode o) {
        long[] hand = probe.handoffs.stream().mapToLong(v -> v - go).sorted().toArray();
        if (hand.length == 0) {
            // the scheduler hands a look's commands on in one JMS transaction, outside Camel's producers: each
            // message's queued_at (read from the hub's clock when it is decided) says when it was handed on
            hand = db.read(c -> {
                List<Long> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("select queued_at from message where queued_at is "
                        + "not null"); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(Duration.between(t0, rs.getTimestamp(1).toInstant()).toNanos());
                    }
                }
                return out;
            }).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        List<long[]> looks = probe.looks.stream().map(l -> new long[]{l[0] - go, l[1] - go})
                .sorted(java.util.Comparator.comparingLong(l -> l[0])).toList();
        ObjectNode d = o.putObject("dispatcher");
        d.put("handedOn", hand.length);
        if (hand.length == 0) {
            System.out.println("dispatcher: the probe saw no command handed on");
            return;
        }
        List<double[]> working = new ArrayList<>(); // per look that handed something: {start, decide, send, n}
        for (long[] l : looks) {
            int a = lowerBound(hand, l[0]);
            int b = lowerBound(hand, l[1] + 1);
            if (b > a) {
                working.add(new double[]{l[0] / 1e6, (hand[a] - l[0]) / 1e6, (hand[b - 1] - hand[a]) / 1e6, b - a});
            }
        }
        double lookMs = working.stream().mapToDouble(w -> w[1] + w[2]).sum();
        double decideMs = working.stream().mapToDouble(w -> w[1]).sum();
        double sendMs = working.stream().mapToDouble(w -> w[2]).sum();
        double[] spacing = new double[Math.max(0, working.size() - 1)];
        for (int k = 0; k + 1 < working.size(); k++) {
            spacing[k] = working.get(k + 1)[0] - working.get(k)[0];
        }
        double last = hand[hand.length - 1] / 1e6;
        d.put("firstHandoffMs", hand[0] / 1e6);
        d.put("lastHandoffMs", last);
        d.put("handedPerSecond", hand.length / (last / 1e3));
        d.put("looksThatHandedOn", working.size());
        d.put("messagesPerLookMax", working.stream().mapToDouble(w -> w[3]).max().orElse(0));
        d.put("decideMsPerMessage", decideMs / hand.length);
        d.put("handOffMsPerMessage", sendMs / hand.length);
        d.put("lookMsMedian", pct(sorted(working.stream().mapToDouble(w -> w[1] + w[2]).toArray()), 0.5));
        d.put("lookStartSpacingMsMedian", pct(sorted(spacing), 0.5));
        d.put("busyFraction", lookMs / last);
        // from the store: a message's queued_at is the start of its look (one clock reading per look)
        double[] wait = db.read(c -> {
            List<Double> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("select queued_at, sent_at from message where sent_at is "
                    + "not null"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Duration.between(rs.getTimestamp(1).toInstant(), rs.getTimestamp(2).toInstant())
                            .toNanos() / 1e6);
                }
            }
            return out;
        }).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        d.put("lookStartToSentMsP50", pct(wait, 0.5));
        d.put("lookStartToSentMsP99", pct(wait, 0.99));
        System.out.printf("dispatcher: handed %,d on to ponte.out.wa by %.1f s after T0 (%,.0f/s) in %d looks of at "
                        + "most %.0f; per message %.2f ms deciding + %.2f ms handing on; a look took %.0f ms (median), "
                        + "one began every %.0f ms (median); busy %.0f %% of the time; look start → SENT p50 %.1f s%n",
                hand.length, last / 1e3, hand.length / (last / 1e3), working.size(),
                working.stream().mapToDouble(w -> w[3]).max().orElse(0), decideMs / hand.length,
                sendMs / hand.length, pct(sorted(working.stream().mapToDouble(w -> w[1] + w[2]).toArray()), 0.5),
                pct(sorted(spacing), 0.5), 100 * lookMs / last, pct(wait, 0.5) / 1e3);
    }

    /**
     * Once the run is over, on the idle hub: the cost of handing a command to the broker as the dispatcher does (one
     * Camel {@code jms:queue:} send each, a persistent send that waits for the journal), against the same commands
     * sent in one transacted JMS session with one commit. A real command of the run is the body. To a scratch queue
     * nobody reads; the data directory is thrown away.
     */
    private static void handOffProbe(PonteHub hub, String command, ObjectNode o) throws Exception {
        int n = 200;
        String body = command != null ? command : "{}";
        var producer = hub.producer();
        producer.sendBody("jms:queue:bench.scratch", body); // the endpoint and its producer are created
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            producer.sendBodyAndHeader("jms:queue:bench.scratch", body, "JMSCorrelationID", "bench-" + i);
        }
        double oneByOne = (System.nanoTime() - t0) / 1e6 / n;
        double transacted;
        try (var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                dev.ponte.broker.EmbeddedBroker.IN_VM_URL); var connection = factory.createConnection();
             var session = connection.createSession(true, jakarta.jms.Session.SESSION_TRANSACTED);
             var sender = session.createProducer(session.createQueue("bench.scratch"))) {
            sender.send(session.createTextMessage(body));
            session.commit();
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                var m = session.createTextMessage(body);
                m.setJMSCorrelationID("bench-" + i);
                sender.send(m);
            }
            session.commit();
            transacted = (System.nanoTime() - t1) / 1e6 / n;
        }
        ObjectNode h = o.putObject("handOffProbe");
        h.put("commands", n);
        h.put("commandBytes", body.length());
        h.put("camelSendEachMsPerCommand", oneByOne);
        h.put("oneTransactionMsPerCommand", transacted);
        System.out.printf("hand-off on the idle hub, %d commands of %,d bytes: %.2f ms each sent one by one as the "
                + "dispatcher does, %.3f ms each in one JMS transaction%n", n, body.length(), oneByOne, transacted);
    }

    private static int lowerBound(long[] sorted, long value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == value) {
            i--;
        }
        return i;
    }

    // ---------------------------------------------------------------- figures

    /**
     * @param cap the cap the phase kept to (0: none): the shortest time in which cap + 1 sends were accepted (at
     *            least 1,000 ms when the cap held at the stand-in) and how many sends began a 1 s window with more
     */
    private static Phase summarize(String name, GraphStandIn.Recording r, long startNanos, int cap) {
        int[] dup = r.duplicatesExtraAndMissing();
        long[] first = Arrays.stream(r.firstAt).filter(v -> v != 0).map(v -> v - startNanos).sorted().toArray();
        int n = Math.min(r.accepted.get(), r.acceptedAt.length);
        long[] all = Arrays.copyOf(r.acceptedAt, n);
        Arrays.sort(all);
        int maxInSecond = 0;
        for (int i = 0, j = 0; i < all.length; i++) {
            while (all[i] - all[j] >= 1_000_000_000L) {
                j++;
            }
            maxInSecond = Math.max(maxInSecond, i - j + 1);
        }
        double shortest = -1;
        int over = 0;
        if (cap > 0) {
            for (int i = 0; i + cap < all.length; i++) {
                long span = all[i + cap] - all[i];
                shortest = shortest < 0 ? span / 1e6 : Math.min(shortest, span / 1e6);
                if (span < 1_000_000_000L) {
                    over++;
                }
            }
        }
        double seconds = first.length == 0 ? 0 : first[first.length - 1] / 1e9;
        return new Phase(name, r.count, r.accepted.get(), r.distinct.get(), dup[0], dup[1], dup[2], r.unknown.get(),
                r.mismatched.get(), seconds, first.length / seconds, first.length == 0 ? 0 : first[0] / 1e6,
                pctNanos(first, 0.5), pctNanos(first, 0.9), pctNanos(first, 0.99),
                first.length == 0 ? 0 : first[first.length - 1] / 1e6, maxInSecond, shortest, over, r.firstInstant,
                r.lastInstant);
    }

    /** Nearest-rank percentile of sorted nanoseconds, in ms. */
    private static double pctNanos(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e6;
    }

    private static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    private static double[] sorted(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s;
    }

    private static String json(ObjectNode node) {
        try {
            return Json.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
