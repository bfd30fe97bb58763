package dev.ponte.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A local stand-in of the WhatsApp Cloud API for the reminders benchmark (JDK {@link HttpServer}, a pool of 4
 * threads): {@code POST /v21.0/<phone-id>/messages} answers 200 {@code {"messaging_product":"whatsapp",
 * "messages":[{"id":"wamid.<n>"}]}}, {@code GET /v21.0/<phone-id>} answers the phone number's id (the connector's
 * health probe). Each accepted send is recorded in the current {@link Recording}: when it was accepted
 * ({@link System#nanoTime()}, and the {@link Instant} of the first and the last), and which patient it was for.
 *
 * <p>A send is related to its message by the recipient: patient {@code i} has the unique number
 * {@code +55119<10000000 + i>} ({@link #phone}), and the request's {@code "to"} carries its digits. The first template
 * parameter (the patient's first name, {@code P<i>}) is checked against it: a send whose name does not match its
 * number is counted as {@code mismatched}.
 */
final class GraphStandIn implements AutoCloseable {

    static final String PHONE_ID = "104857600123";
    private static final long PHONE_BASE = 10_000_000L;
    private static final String TO = "\"to\":\"";
    private static final String FIRST_PARAMETER = "\"parameters\":[{\"type\":\"text\",\"text\":\"";

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "graph-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong wamids = new AtomicLong();
    private volatile Recording recording;

    /** What the stand-in accepted during one phase of the benchmark. Thread safe. */
    static final class Recording {
        final int count;
        /** Acceptance time (nanoTime) of every accepted send, duplicates included, in arrival order. */
        final long[] acceptedAt;
        final AtomicInteger accepted = new AtomicInteger();
        /** Sends per patient index. */
        final AtomicIntegerArray perPatient;
        /** First acceptance time (nanoTime) per patient index; 0 while none. */
        final long[] firstAt;
        final AtomicInteger distinct = new AtomicInteger();
        final AtomicInteger unknown = new AtomicInteger();
        final AtomicInteger mismatched = new AtomicInteger();
        final AtomicInteger overflow = new AtomicInteger();
        volatile Instant firstInstant;
        volatile Instant lastInstant;
        volatile long lastNanos;

        Recording(int count) {
            this.count = count;
            this.acceptedAt = new long[2 * count + 1000];
            this.perPatient = new AtomicIntegerArray(count);
            this.firstAt = new long[count];
        }

        void accept(long now, Instant at, int index, boolean nameMatches) {
            int slot = accepted.getAndIncrement();
            if (slot < acceptedAt.length) {
                acceptedAt[slot] = now;
            } else {
                overflow.incrementAndGet();
            }
            if (firstInstant == null) {
                firstInstant = at;
            }
            lastInstant = at;
            lastNanos = now;
            if (index < 0 || index >= count) {
                unknown.incrementAndGet();
                return;
            }
            if (!nameMatches) {
                mismatched.incrementAndGet();
            }
            if (perPatient.getAndIncrement(index) == 0) {
                firstAt[index] = now;
                distinct.incrementAndGet();
            }
        }

        /** Patients sent to more than once (and how many extra sends) and patients never sent to. */
        int[] duplicatesExtraAndMissing() {
            int patients = 0;
            int extra = 0;
            int missing = 0;
            for (int i = 0; i < count; i++) {
                int n = perPatient.get(i);
                if (n == 0) {
                    missing++;
                } else if (n > 1) {
                    patients++;
                    extra += n - 1;
                }
            }
            return new int[]{patients, extra, missing};
        }
    }

    GraphStandIn() throws IOException {
        // the JDK server writes the headers and the body of an answer separately: without TCP_NODELAY, Nagle's
        // algorithm and the client's delayed ACK hold every answer ~40 ms (a stand-in of 22 requests/s)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(pool);
        server.createContext("/v21.0/" + PHONE_ID, this::handle);
        server.start();
    }

    /** The base URL to configure ({@code ponte.connectors.<wa>.base-url}). */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The mobile number of patient {@code index}: unique, valid E.164 (a São Paulo mobile). */
    static String phone(int index) {
        return "+55119" + (PHONE_BASE + index);
    }

    /** The first name of patient {@code index}, which the reminder template sends as its first parameter. */
    static String firstName(int index) {
        return "P" + index;
    }

    /** Starts recording a new phase; what was recorded before is kept by its own {@link Recording}. */
    Recording record(int count) {
        Recording r = new Recording(count);
        recording = r;
        return r;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] request = in.readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (exchange.getRequestMethod().equals("GET") && path.equals("/v21.0/" + PHONE_ID)) {
                respond(exchange, 200, "{\"id\":\"" + PHONE_ID + "\"}");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || !path.equals("/v21.0/" + PHONE_ID + "/messages")) {
                respond(exchange, 404, "{\"error\":{\"message\":\"Unknown path\",\"code\":100}}");
                return;
            }
            String body = new String(request, StandardCharsets.UTF_8);
            int index = -1;
            boolean nameMatches = false;
            int to = body.indexOf(TO);
            if (to >= 0) {
                int end = body.indexOf('"', to + TO.length());
                String digits = body.substring(to + TO.length(), end);
                try {
                    if (digits.startsWith("55119") && digits.length() == 13) {
                        index = (int) (Long.parseLong(digits.substring(5)) - PHONE_BASE);
                    }
                } catch (NumberFormatException notOurs) {
                    index = -1;
                }
                int p = body.indexOf(FIRST_PARAMETER);
                if (p >= 0) {
                    int pe = body.indexOf('"', p + FIRST_PARAMETER.length());
                    nameMatches = body.substring(p + FIRST_PARAMETER.length(), pe).equals(firstName(index));
                }
            }
            long id = wamids.incrementAndGet();
            String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + (to < 0 ? ""
                    : "+" + body.substring(to + TO.length(), body.indexOf('"', to + TO.length())))
                    + "\"}],\"messages\":[{\"id\":\"wamid." + id + "\"}]}";
            Recording r = recording;
            if (r != null) { // accepted: the moment the stand-in answers
                r.accept(System.nanoTime(), Instant.now(), index, nameMatches);
            }
            respond(exchange, 200, answer);
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
