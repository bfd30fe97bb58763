package dev.ponte.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Artemis broker in a process of its own, made from the Artemis distribution on Maven Central
 * ({@code org.apache.activemq:apache-artemis:<version>:tar.gz:bin}, unpacked by the build into the folder the system
 * property {@value #HOME_PROPERTY} names): {@code artemis create} makes an instance with a user and a password on a
 * free loopback port, the broker.xml elements the hub asks for ({@code bin/ponte broker-config}) are added to its
 * {@code etc/broker.xml}, and {@code artemis run} starts it. It can be stopped, killed and started again on the
 * same journal and port.
 */
public final class ExternalArtemis implements AutoCloseable {

    /** The unpacked distribution ({@code apache-artemis-<version>}). */
    public static final String HOME_PROPERTY = "ponte.test.artemis.home";
    /** The marker in {@code bin/ponte broker-config}'s output between the settings and the addresses. */
    public static final String ADDRESSES_MARKER = "<!-- Ponte: inside <addresses> -->";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path home;
    private final Path instance;
    private final int port;
    private Process process;
    private int starts;

    private ExternalArtemis(Path home, Path instance, int port) {
        this.home = home;
        this.instance = instance;
        this.port = port;
    }

    /**
     * Creates a broker instance in {@code instance} (not started) with the hub's broker.xml elements added. Skips the
     * test, saying why, when the distribution is not there (failed when {@link TestStores#REQUIRED_PROPERTY} is true:
     * the README's test command).
     */
    public static ExternalArtemis create(Path instance, String ponteBrokerXml) throws IOException {
        String h = System.getProperty(HOME_PROPERTY);
        if (h == null || !Files.isExecutable(Path.of(h, "bin", "artemis"))) {
            String why = "no Artemis distribution at " + HOME_PROPERTY + "=" + h + " (the build unpacks it from Maven"
                    + " Central in pre-integration-test: run the test through mvn verify)";
            if (Boolean.getBoolean(TestStores.REQUIRED_PROPERTY)) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ExternalArtemis a = new ExternalArtemis(Path.of(h), instance, port);
        a.run(List.of(a.home.resolve("bin/artemis").toString(), "create", instance.toString(), "--force", "--silent",
                "--user", user(), "--password", password(), "--require-login", "--no-web", "--host", "127.0.0.1",
                "--default-port", String.valueOf(port), "--no-amqp-acceptor", "--no-mqtt-acceptor",
                "--no-stomp-acceptor", "--no-hornetq-acceptor", "--nio", "--no-fsync", "--java-memory", "512M"));
        Path brokerXml = instance.resolve("etc/broker.xml");
        String xml = Files.readString(brokerXml, StandardCharsets.UTF_8);
        int marker = ponteBrokerXml.indexOf(ADDRESSES_MARKER);
        if (marker < 0) {
            throw new IllegalArgumentException("not bin/ponte broker-config's output: no " + ADDRESSES_MARKER);
        }
        String settings = ponteBrokerXml.substring(0, marker);
        String addresses = ponteBrokerXml.substring(marker);
        if (!xml.contains("</address-settings>") || !xml.contains("</addresses>")) {
            throw new IllegalStateException(brokerXml + " has no <address-settings> or <addresses> to add to");
        }
        xml = xml.replace("</address-settings>", settings + "</address-settings>")
                .replace("</addresses>", addresses + "</addresses>");
        Files.writeString(brokerXml, xml, StandardCharsets.UTF_8);
        return a;
    }

    public static String user() {
        return "ponte";
    }

    public static String password() {
        return "ponte-test";
    }

    /** The broker's URL as the hub's {@code ponte.broker.url}, reconnecting for ever at short intervals. */
    public String url() {
        return "tcp://127.0.0.1:" + port + "?reconnectAttempts=-1&retryInterval=100&retryIntervalMultiplier=1.5"
                + "&maxRetryInterval=2000";
    }

    public int port() {
        return port;
    }

    public Path instance() {
        return instance;
    }

    /** Starts the broker and waits until it is live (log line AMQ221007) and its port accepts connections. */
    public synchronized ExternalArtemis start() throws IOException {
        if (process != null && process.isAlive()) {
            return this;
        }
        Path log = instance.resolve("run-" + (++starts) + ".log");
        process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").directory(instance.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            String out = Files.readString(log, StandardCharsets.UTF_8);
            if (out.contains("AMQ221007") && accepts()) {
                return this;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the Artemis broker in " + instance + " stopped at start (exit "
                        + process.exitValue() + "):\n" + out);
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the Artemis broker in " + instance + " was not live after "
                        + START_TIMEOUT.toSeconds() + " s:\n" + out);
            }
            try {
                Thread.sleep(100); // a process's start, polled with a bound: no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the broker started", e);
            }
        }
    }

    private boolean accepts() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the broker as its service would (SIGTERM: Artemis closes its journal) and waits for the process. */
    public synchronized void stop() {
        end(false);
    }

    /** Kills the broker (SIGKILL): what a power cut does to it. */
    public synchronized void kill() {
        end(true);
    }

    private void end(boolean kill) {
        if (process == null) {
            return;
        }
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** The text the broker printed in all its runs so far. */
    public String output() throws IOException {
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= starts; i++) {
            all.append(Files.readString(instance.resolve("run-" + i + ".log"), StandardCharsets.UTF_8));
        }
        return all.toString();
    }

    @Override
    public void close() {
        stop();
    }

    private void run(List<String> command) throws IOException {
        Path out = Files.createTempFile("ponte-artemis-", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " failed:\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
