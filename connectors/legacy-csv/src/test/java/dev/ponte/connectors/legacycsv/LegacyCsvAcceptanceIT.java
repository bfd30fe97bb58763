package dev.ponte.connectors.legacycsv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.spi.Connector;
import dev.ponte.spi.OutboundCommand;
import dev.ponte.testkit.RemoteRequest;
import dev.ponte.testkit.SampleCommands;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * legacy-csv passes the connector test kit: sample export files dropped in the inbox map and validate; appointment
 * statuses are appended to the outbox folder. The
 * test gives the connector the legacy id of every appointment, {@value #LEGACY_ID}, and counts its calls: the first
 * {@code n} of a transient failure find the outbox folder replaced by a file.
 */
class LegacyCsvAcceptanceIT extends ConnectorAcceptanceTest {

    private static final Path MAPPINGS = Path.of("../../mappings/legacy-clinic");
    static final String LEGACY_ID = "200000";
    private final AtomicInteger failNext = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @Override
    protected Connector connector() {
        return new LegacyCsvConnector((command, systems) -> {
            Path outbox = work.resolve("outbox");
            try {
                if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    failed.incrementAndGet();
                    if (!Files.isRegularFile(outbox)) {
                        Files.createFile(outbox); // the outbox is gone for now: a file where its folder should be
                    }
                } else if (Files.isRegularFile(outbox)) {
                    Files.delete(outbox);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return systems.contains("legacy-clinic") ? LEGACY_ID : null;
        });
    }

    /** An appointment confirmed in the hub (a patient's reply), as the sink-commands flow sends it. */
    @Override
    protected OutboundCommand sampleCommand() {
        return confirmed(SampleCommands.appointment(UUID.randomUUID().toString(),
                OffsetDateTime.of(2026, 12, 1, 10, 0, 0, 0, ZoneOffset.ofHours(-3)), OutboundCommand.Action.UPSERT));
    }

    static OutboundCommand confirmed(OutboundCommand c) {
        ObjectNode data = c.data().deepCopy();
        data.put("status", "CONFIRMED");
        return new OutboundCommand(c.id(), c.businessKey(), c.entity(), c.action(), c.canonicalId(), data,
                c.related(), StatusOutbox.STATUS_CHANGED, c.correlationId(), c.causationId(), c.time());
    }

    @Override
    protected void remoteAccepts() {
        failNext.set(0);
    }

    @Override
    protected void remoteFailsTransiently(int times) {
        failNext.set(times);
    }

    /** The day's outbox file is a folder: no append can fix that, an admin must move it away. */
    @Override
    protected void remoteRejects() throws Exception {
        Path outbox = work.resolve("outbox");
        Files.createDirectories(outbox);
        Instant now = Instant.now();
        for (Instant day : List.of(now.minus(java.time.Duration.ofDays(1)), now, now.plus(java.time.Duration.ofDays(1)))) {
            Files.createDirectories(outbox.resolve(StatusOutbox.fileName(day, ZoneId.of("America/Sao_Paulo")))
                    .resolve("not-a-file"));
        }
    }

    /** The lines of the outbox files. */
    @Override
    protected int externalEffects() throws Exception {
        return lines().size();
    }

    /** The failed attempts (the remote saw them, without a body), then the lines appended. */
    @Override
    protected List<RemoteRequest> remoteRequests() throws Exception {
        List<RemoteRequest> out = new ArrayList<>();
        for (int i = 0; i < failed.get(); i++) {
            out.add(new RemoteRequest("APPEND", "outbox", null));
        }
        out.addAll(lines());
        return out;
    }

    private List<RemoteRequest> lines() throws Exception {
        Path outbox = work.resolve("outbox");
        List<RemoteRequest> out = new ArrayList<>();
        if (!Files.isDirectory(outbox)) {
            return out;
        }
        try (Stream<Path> files = Files.list(outbox)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString()
                    .startsWith("agenda-status-")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                for (String line : lines.subList(1, lines.size())) {
                    out.add(new RemoteRequest("APPEND", f.getFileName().toString(), line));
                }
            }
        }
        return out;
    }

    @Override
    protected void resetRemote() throws Exception {
        failed.set(0);
        Path outbox = work.resolve("outbox");
        if (Files.isDirectory(outbox)) {
            try (Stream<Path> files = Files.list(outbox)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Map.of("mappings", MAPPINGS.toString(), "inbox", workDir.resolve("inbox").toString(),
                "poll-delay", "200ms", "chunk-size", "2", "status-outbox", workDir.resolve("outbox").toString());
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(new BadConfig("chunk size and delay of the wrong type", Map.of("mappings", MAPPINGS.toString(),
                "chunk-size", "1e3", "poll-delay", "2 minutes"), Set.of("chunk-size", "poll-delay")),
                new BadConfig("values of the right type outside their validators", Map.of("mappings",
                        MAPPINGS.toString(), "chunk-size", "0", "poll-delay", "5ms", "file-pattern", "*.csv"),
                        Set.of("chunk-size", "poll-delay", "file-pattern")),
                new BadConfig("write-back options outside their validators", Map.of("mappings", MAPPINGS.toString(),
                        "status-outbox", workDir.resolve("outbox").toString(), "status-values", "CONFIRMED",
                        "status-encoding", "latin-9000", "status-delimiter", ";;", "status-zone", "Brasilia"),
                        Set.of("status-values", "status-encoding", "status-delimiter", "status-zone")));
    }

    @Override
    protected void produceSampleInput(KitHub hub) throws Exception {
        Path inbox = hub.config().path("inbox");
        Path sample = Path.of(getClass().getResource("/sample-export").toURI());
        try (Stream<Path> files = Files.list(sample)) {
            for (Path f : files.toList()) {
                // write under another name, then rename: the inbox never sees a half-written file
                Path part = inbox.resolve(f.getFileName() + ".part");
                Files.copy(f, part);
                Files.move(part, inbox.resolve(f.getFileName()));
            }
        }
    }

    @Override
    protected int expectedSampleRecords() {
        return 12 + 5 + 3 + 3;
    }

    @Override
    protected void remoteUnreachable() throws Exception {
        Files.move(work.resolve("inbox"), work.resolve("inbox-away"));
    }

    @Override
    protected void remoteReachable() throws Exception {
        Files.move(work.resolve("inbox-away"), work.resolve("inbox"));
    }
}
