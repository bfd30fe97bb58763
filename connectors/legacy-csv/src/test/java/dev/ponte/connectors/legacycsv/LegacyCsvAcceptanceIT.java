package dev.ponte.connectors.legacycsv;

import dev.ponte.spi.Connector;
import dev.ponte.testkit.BadConfig;
import dev.ponte.testkit.ConnectorAcceptanceTest;
import dev.ponte.testkit.KitHub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** legacy-csv passes the connector test kit: sample export files dropped in the inbox map and validate. */
class LegacyCsvAcceptanceIT extends ConnectorAcceptanceTest {

    private static final Path MAPPINGS = Path.of("../../mappings/legacy-clinic");

    @Override
    protected Connector connector() {
        return new LegacyCsvConnector();
    }

    @Override
    protected Map<String, String> goodConfig(Path workDir) {
        return Map.of("mappings", MAPPINGS.toString(), "inbox", workDir.resolve("inbox").toString(),
                "poll-delay", "200ms", "chunk-size", "2");
    }

    @Override
    protected List<BadConfig> badConfigs(Path workDir) {
        return List.of(new BadConfig("chunk size and delay of the wrong type", Map.of("mappings", MAPPINGS.toString(),
                "chunk-size", "1e3", "poll-delay", "2 minutes"), Set.of("chunk-size", "poll-delay")),
                new BadConfig("values of the right type outside their validators", Map.of("mappings",
                        MAPPINGS.toString(), "chunk-size", "0", "poll-delay", "5ms", "file-pattern", "*.csv"),
                        Set.of("chunk-size", "poll-delay", "file-pattern")));
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
