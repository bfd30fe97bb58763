package dev.ponte.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ponte.json.Json;
import dev.ponte.store.CanonicalEvent;
import dev.ponte.store.EventOutbox;
import org.apache.qpid.protonj2.client.Client;
import org.apache.qpid.protonj2.client.ClientOptions;
import org.apache.qpid.protonj2.client.Connection;
import org.apache.qpid.protonj2.client.Delivery;
import org.apache.qpid.protonj2.client.Receiver;
import org.apache.qpid.protonj2.types.messaging.Data;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Systems in other languages subscribe to {@code ponte.events} through the broker's TCP acceptor, as the README shows:
 * over AMQP 1.0 (protonj2, the Java sibling of python-qpid-proton), STOMP 1.2 (frames written and read by hand, as a
 * Python or Node.js STOMP client does) and MQTT 3.1.1 and 5 (Paho). The AMQP, STOMP and MQTT 3.1.1 subscriptions are
 * durable and their subscribers are offline while the hub imports; the MQTT 5 one is online. Each gets every event of
 * the import as a structured-mode CloudEvent, with the content type and attributes that its protocol's binding says.
 */
class EventSubscriptionIT {

    private static final String CLOUDEVENTS_JSON = "application/cloudevents+json; charset=utf-8";

    @TempDir
    Path dataDir;
    private PonteHub hub;
    private int port;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        port = HubTestSupport.freePort();
        hub = PonteHub.prepare(HubTestSupport.settings(dataDir, Map.of("ponte.broker.acceptor",
                "tcp://127.0.0.1:" + port + "?protocols=CORE,AMQP,STOMP,MQTT"))).start(true);
    }

    @AfterEach
    void stop() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // closing what is left after a failure
            }
        }
        hub.close();
    }

    @Test
    void subscribersOverAmqpStompAndMqttReceiveEveryEventOfAnImport() throws Exception {
        // durable subscriptions, then the AMQP, STOMP and MQTT 3.1.1 subscribers go offline
        Client amqp = Client.create(new ClientOptions().id("it-amqp"));
        open.add(amqp);
        try (Connection c = amqp.connect("127.0.0.1", port)) {
            c.openDurableReceiver("ponte.events", "crm-events").openFuture().get(10, TimeUnit.SECONDS).detach();
        }
        try (Stomp stomp = new Stomp(port, "it-stomp")) {
            stomp.subscribeDurably("crm-events");
        }
        org.eclipse.paho.client.mqttv3.MqttClient mqtt3 = new org.eclipse.paho.client.mqttv3.MqttClient(
                "tcp://127.0.0.1:" + port, "it-mqtt3", new MemoryPersistence());
        open.add(mqtt3::close);
        MqttConnectOptions persistent = new MqttConnectOptions();
        persistent.setCleanSession(false);
        mqtt3.connect(persistent);
        mqtt3.subscribe("ponte/events", 1);
        mqtt3.disconnect();

        Map<String, MqttMessage> mqtt5Seen = new ConcurrentHashMap<>();
        org.eclipse.paho.mqttv5.client.MqttClient mqtt5 = new org.eclipse.paho.mqttv5.client.MqttClient(
                "tcp://127.0.0.1:" + port, "it-mqtt5", new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
        open.add(mqtt5::close);
        open.add(() -> {
            if (mqtt5.isConnected()) {
                mqtt5.disconnect();
            }
        });
        mqtt5.setCallback(new Mqtt5Listener((topic, m) -> mqtt5Seen.put(json(m.getPayload()).get("id").asText(), m)));
        mqtt5.connect(new MqttConnectionOptions());
        mqtt5.subscribe("ponte/events", 1);

        // the import: the demo export's procedures
        Path inbox = dataDir.resolve("inbox/legacy");
        HubTestSupport.drop(inbox, HubTestSupport.DEMO_EXPORT.resolve("procedimentos.csv"));
        await("the report of procedimentos.csv and every event published").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Files.exists(inbox.resolve("done/procedimentos.csv.report.json"))
                        && hub.database().<List<CanonicalEvent>>inTransaction(c -> EventOutbox.unpublished(c, 1))
                        .isEmpty()).as(() -> Waits.inbox(inbox) + "; " + Waits.hubState(hub)).isTrue());
        Map<String, Map<String, String>> stored = storedEvents();
        assertThat(stored).hasSize(12);

        // MQTT 5, online: structured mode, the Content Type property, payload format UTF-8
        await("an MQTT 5 message for every stored event").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(mqtt5Seen.keySet()).as("event ids seen over MQTT 5").isEqualTo(stored.keySet()));
        for (MqttMessage m : mqtt5Seen.values()) {
            assertThat(m.getProperties().getContentType()).isEqualTo(CLOUDEVENTS_JSON);
            assertThat(m.getProperties().getPayloadFormat()).isTrue();
            assertStructured(json(m.getPayload()), stored);
        }

        // MQTT 3.1.1, back online in its persistent session: the payload is the event, nothing else
        Map<String, JsonNode> mqtt3Seen = new ConcurrentHashMap<>();
        mqtt3.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage m) {
                JsonNode e = json(m.getPayload());
                mqtt3Seen.put(e.get("id").asText(), e);
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        mqtt3.connect(persistent);
        await("an MQTT 3.1.1 message for every stored event").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(mqtt3Seen.keySet()).as("event ids seen over MQTT 3.1.1").isEqualTo(stored.keySet()));
        mqtt3Seen.values().forEach(e -> assertStructured(e, stored));

        // AMQP 1.0, back on its durable subscription: content-type, one data section, cloudEvents_ properties
        Map<String, JsonNode> amqpSeen = new LinkedHashMap<>();
        try (Connection c = amqp.connect("127.0.0.1", port)) {
            Receiver events = c.openDurableReceiver("ponte.events", "crm-events");
            await("an AMQP message for every stored event").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Delivery d = events.receive(100, TimeUnit.MILLISECONDS);
                if (d != null) {
                    var m = d.message();
                    assertThat(m.contentType()).isEqualTo(CLOUDEVENTS_JSON);
                    assertThat(m.toAdvancedMessage().bodySections()).singleElement().isInstanceOf(Data.class);
                    JsonNode e = json((byte[]) m.body());
                    assertStructured(e, stored);
                    for (String a : List.of("specversion", "id", "source", "type", "subject")) {
                        assertThat(m.property("cloudEvents_" + a)).as(a).isEqualTo(e.get(a).asText());
                    }
                    amqpSeen.put(e.get("id").asText(), e);
                    d.accept();
                }
                assertThat(amqpSeen.keySet()).as("event ids seen over AMQP").isEqualTo(stored.keySet());
            });
            events.close(); // closing (not detaching) the link ends the durable subscription
        }

        // STOMP 1.2, back on its durable subscription: content-type header, cloudEvents_ headers
        try (Stomp stomp = new Stomp(port, "it-stomp")) {
            stomp.subscribeDurably("crm-events");
            Map<String, JsonNode> stompSeen = new LinkedHashMap<>();
            await("a STOMP MESSAGE for every stored event").atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                Stomp.Frame f = stomp.frames.poll(100, TimeUnit.MILLISECONDS);
                if (f != null) {
                    assertThat(f.command()).as(f::toString).isEqualTo("MESSAGE");
                    assertThat(f.headers()).containsEntry("content-type", CLOUDEVENTS_JSON)
                            .containsEntry("destination", "ponte.events");
                    JsonNode e = json(f.body());
                    assertStructured(e, stored);
                    for (String a : List.of("specversion", "id", "source", "type", "subject")) {
                        assertThat(f.headers()).as(a).containsEntry("cloudEvents_" + a, e.get(a).asText());
                    }
                    stompSeen.put(e.get("id").asText(), e);
                }
                assertThat(stompSeen.keySet()).as("event ids seen over STOMP").isEqualTo(stored.keySet());
            });
        }
    }

    /** The events in the hub's store, by id: their CloudEvents attributes. */
    private Map<String, Map<String, String>> storedEvents() {
        return hub.database().inTransaction(c -> {
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            try (var s = c.createStatement(); var rs = s.executeQuery("select id, type, source, subject from event")) {
                while (rs.next()) {
                    out.put(rs.getString(1), Map.of("type", rs.getString(2), "source", rs.getString(3),
                            "subject", rs.getString(4)));
                }
            }
            return out;
        });
    }

    /** A structured-mode CloudEvent of a stored event: its attributes and the canonical record as data. */
    private static void assertStructured(JsonNode e, Map<String, Map<String, String>> stored) {
        assertThat(e.get("specversion").asText()).isEqualTo("1.0");
        Map<String, String> s = stored.get(e.get("id").asText());
        assertThat(s).as("stored event " + e.get("id")).isNotNull();
        assertThat(e.get("type").asText()).isEqualTo(s.get("type")).startsWith("procedure.");
        assertThat(e.get("source").asText()).isEqualTo(s.get("source"));
        assertThat(e.get("subject").asText()).isEqualTo(s.get("subject"));
        assertThat(e.get("datacontenttype").asText()).isEqualTo("application/json");
        assertThat(e.get("data").isObject()).isTrue();
    }

    private static JsonNode json(byte[] utf8) {
        try {
            return Json.MAPPER.readTree(new String(utf8, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("not JSON: " + new String(utf8, StandardCharsets.UTF_8), e);
        }
    }

    /** MQTT 5 callback that hands each message to a consumer. */
    private record Mqtt5Listener(java.util.function.BiConsumer<String, MqttMessage> onMessage) implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            onMessage.accept(topic, message);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    /**
     * A minimal STOMP 1.2 client: the frames are text (command, {@code name:value} headers, a blank line, the body,
     * NUL), which is all any language's STOMP client writes and reads. Received frames land in {@link #frames}.
     */
    private static final class Stomp implements AutoCloseable {
        record Frame(String command, Map<String, String> headers, byte[] body) {
            @Override
            public String toString() {
                return command + " " + headers + " " + new String(body, StandardCharsets.UTF_8);
            }
        }

        final LinkedBlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        private final Socket socket;
        private final OutputStream out;
        private final Thread reader;

        Stomp(int port, String clientId) throws Exception {
            socket = new Socket("127.0.0.1", port);
            out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            reader = new Thread(() -> {
                try {
                    for (Frame f; (f = read(in)) != null; ) {
                        frames.add(f);
                    }
                } catch (IOException closed) {
                    // the socket closed
                }
            }, "stomp-reader-" + clientId);
            reader.setDaemon(true);
            reader.start();
            send("CONNECT\naccept-version:1.2\nhost:localhost\nclient-id:" + clientId + "\n\n");
            Frame connected = frames.poll(10, TimeUnit.SECONDS);
            assertThat(connected).as("the answer to CONNECT").isNotNull();
            assertThat(connected.command()).as(connected::toString).isEqualTo("CONNECTED");
        }

        /** A durable subscription to the events' multicast address, confirmed by the broker's RECEIPT. */
        void subscribeDurably(String name) throws Exception {
            send("SUBSCRIBE\nid:0\ndestination:ponte.events\nsubscription-type:MULTICAST\n"
                    + "durable-subscription-name:" + name + "\nack:auto\nreceipt:subscribed\n\n");
            Frame receipt = frames.poll(10, TimeUnit.SECONDS);
            assertThat(receipt).as("the RECEIPT of SUBSCRIBE").isNotNull();
            assertThat(receipt.command()).as(receipt::toString).isEqualTo("RECEIPT");
        }

        private synchronized void send(String frame) throws IOException {
            out.write((frame + "\0").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /** The next frame, or {@code null} at the end of the stream; heart-beat EOLs before a frame are skipped. */
        private static Frame read(InputStream in) throws IOException {
            String command;
            do {
                command = line(in);
                if (command == null) {
                    return null;
                }
            } while (command.isEmpty());
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h; !(h = line(in)).isEmpty(); ) {
                int colon = h.indexOf(':');
                // STOMP 1.2: the first header of a name wins
                headers.putIfAbsent(unescape(h.substring(0, colon)), unescape(h.substring(colon + 1)));
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (headers.containsKey("content-length")) {
                body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
                in.read(); // the NUL
            } else {
                for (int b; (b = in.read()) > 0; ) {
                    body.write(b);
                }
            }
            return new Frame(command, headers, body.toByteArray());
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream l = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    return null;
                }
                l.write(b);
            }
            String s = l.toString(StandardCharsets.UTF_8);
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }

        private static String unescape(String s) {
            return s.replace("\\c", ":").replace("\\n", "\n").replace("\\r", "\r").replace("\\\\", "\\");
        }

        @Override
        public void close() throws Exception {
            try {
                send("DISCONNECT\nreceipt:bye\n\n");
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                for (Frame f; (f = frames.poll(until - System.nanoTime(), TimeUnit.NANOSECONDS)) != null
                        && !"RECEIPT".equals(f.command()); ) {
                    // frames before the RECEIPT of DISCONNECT
                }
            } finally {
                socket.close();
            }
        }
    }
}
