package dev.ponte.hub;

import dev.ponte.store.Database;
import dev.ponte.tools.LegacyExportGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static dev.ponte.hub.HubTestSupport.UNPUBLISHED;
import static dev.ponte.hub.HubTestSupport.assertEveryRowOnce;
import static dev.ponte.hub.HubTestSupport.countThroughHub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hub in a child JVM gets SIGTERM twice in the middle of a 50,000-row import (the first time with an external
 * client subscribed to {@code ponte.events} over TCP, which once made a stop take over 40 s) and is started again each time: each
 * stop takes under 10 s, exits with 0 (the hub handles SIGTERM itself and the stop completed: a supervisor sees a
 * clean stop; 1 would mean it was cut short) and logs nothing above INFO; the last hub finishes the import with every row
 * once, no duplicate event and no dead letter. No message is ever delivered twice: the inbound consumer logs each
 * message the broker marks as redelivered (JMSRedelivered, i.e. its delivery count grew because an attempt rolled
 * back), and no hub logs one.
 */
class GracefulStopIT {

    private static final int APPOINTMENTS = 50_000;
    private static final Path JAR = HubTestSupport.JAR;
    /** The hub's own INFO lines (a redelivered message says so at INFO), so the test sees every stop step. */
    private static final String INFO_LOGS = "-Dorg.slf4j.simpleLogger.log.dev.ponte=info";
    private static final Pattern ABOVE_INFO = Pattern.compile("(^|\\s)(WARN|ERROR)\\s|^\\s+at |Exception");
    private static final String APPOINTMENT_COUNT =
            "select count(*) from canonical_record where entity_type = 'Appointment'";

    @Test
    void sigtermMidImportCommitsInFlightWorkAndCountsNoDeliveryAttempt(@TempDir Path tmp) throws Exception {
        assertThat(JAR).as("the packaged hub (mvn package runs before the ITs)").exists();
        Path export = tmp.resolve("export");
        LegacyExportGenerator.generate(export, 1000, APPOINTMENTS, 0, 3);
        Path dataDir = tmp.resolve("data");
        Files.createDirectories(dataDir);
        int brokerPort = HubTestSupport.freePort();
        Files.writeString(dataDir.resolve("ponte.properties"), String.join("\n",
                "ponte.http.port=" + HubTestSupport.freePort(),
                "ponte.broker.acceptor=tcp://127.0.0.1:" + brokerPort,
                "ponte.connectors.legacy.poll-delay=200ms",
                "ponte.connectors.legacy.mappings=" + HubTestSupport.LEGACY_MAPPINGS));
        // IFEXISTS: the test must never create the database itself (it would then own the AUTO_SERVER)
        String url = Database.embeddedUrl(dataDir) + ";IFEXISTS=TRUE";

        Path firstLog = tmp.resolve("first.log");
        Process first = HubTestSupport.startChildHub(dataDir, firstLog, INFO_LOGS);
        try (var files = Files.list(export)) {
            HubTestSupport.drop(dataDir.resolve("inbox/legacy"), files.toArray(Path[]::new));
        }
        awaitAppointments(url, first, firstLog, APPOINTMENTS / 5);
        long atFirstStop;
        try (var subscriber = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + brokerPort).createContext()) {
            var events = subscriber.createConsumer(subscriber.createTopic(dev.ponte.broker.Queues.EVENTS));
            assertThat(events.receive(10_000)).as("an event through the external client").isNotNull();
            atFirstStop = sigtermAndCheck(first, firstLog, url);
        }

        Path secondLog = tmp.resolve("second.log");
        Process second = HubTestSupport.startChildHub(dataDir, secondLog, INFO_LOGS);
        awaitAppointments(url, second, secondLog, Math.min(APPOINTMENTS - 1, atFirstStop + APPOINTMENTS / 5));
        sigtermAndCheck(second, secondLog, url);

        Path thirdLog = tmp.resolve("third.log");
        Process third = HubTestSupport.startChildHub(dataDir, thirdLog, INFO_LOGS);
        try {
            awaitStarted(third, thirdLog);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500))
                    .failFast("the restarted hub exited", () -> !third.isAlive())
                    .until(() -> countThroughHub(url, APPOINTMENT_COUNT) == APPOINTMENTS
                            && countThroughHub(url, UNPUBLISHED) == 0);
            assertEveryRowOnce(url, 1000, APPOINTMENTS);
        } finally {
            sigtermAndCheck(third, thirdLog, url);
        }
        for (Path log : List.of(firstLog, secondLog, thirdLog)) {
            assertThat(Files.readString(log)).as("redelivered messages in " + log.getFileName())
                    .doesNotContain("delivered again");
        }
    }

    /**
     * SIGTERM; the hub must exit within 10 s with 0, logging nothing above INFO from then on.
     *
     * @return the appointments imported when the signal was sent
     */
    private static long sigtermAndCheck(Process hub, Path log, String url) throws Exception {
        long atStop = countThroughHub(url, APPOINTMENT_COUNT);
        int logBefore = (int) Files.size(log);
        long sent = System.nanoTime();
        hub.destroy(); // SIGTERM
        boolean exited = hub.waitFor(10, TimeUnit.SECONDS);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent);
        if (!exited) {
            hub.destroyForcibly();
            hub.waitFor(30, TimeUnit.SECONDS);
        }
        byte[] all = Files.readAllBytes(log);
        String stopLog = new String(all, logBefore, all.length - logBefore, java.nio.charset.StandardCharsets.UTF_8);
        System.out.printf("GracefulStopIT: %s exited in %d ms with %s; stop log:%n%s%n", log.getFileName(), millis,
                exited ? hub.exitValue() : "(killed)", stopLog);
        assertThat(exited).as("exited within 10 s of SIGTERM; log:\n" + stopLog).isTrue();
        assertThat(hub.exitValue()).as("exit code after SIGTERM").isZero();
        assertThat(stopLog.lines().filter(l -> ABOVE_INFO.matcher(l).find()).toList())
                .as("lines above INFO during the stop").isEmpty();
        assertThat(stopLog).contains("Ponte stopped in");
        return atStop;
    }

    /**
     * Waits for the hub to have started, so the test's queries go through its AUTO_SERVER: between two hubs a query
     * would open the database in the test's JVM and make the next hub wait for it.
     */
    private static void awaitStarted(Process hub, Path log) throws IOException {
        try {
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .failFast("the hub exited", () -> !hub.isAlive())
                    .until(() -> Files.readString(log).contains("Ponte started"));
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            hub.destroyForcibly();
            throw new AssertionError("the hub did not start; its log:\n" + Files.readString(log), e);
        }
    }

    private static void awaitAppointments(String url, Process hub, Path log, long atLeast) throws IOException {
        awaitStarted(hub, log);
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                    .failFast("the hub exited", () -> !hub.isAlive())
                    .until(() -> countThroughHub(url, APPOINTMENT_COUNT) >= atLeast);
        } catch (org.awaitility.core.ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            hub.destroyForcibly();
            throw new AssertionError("the hub did not import " + atLeast + " appointments; its log:\n"
                    + Files.readString(log), e);
        }
        assertThat(countThroughHub(url, APPOINTMENT_COUNT)).as("stopped mid-import").isLessThan(APPOINTMENTS);
    }

    /** The packaged hub, logging the hub's own INFO lines (stop time, redeliveries) and everyone's warnings. */

}
