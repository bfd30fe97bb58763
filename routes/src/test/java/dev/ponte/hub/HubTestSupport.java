package dev.ponte.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;

/** Starting a real hub (embedded Artemis and H2 in a temporary data directory) for integration tests. */
public final class HubTestSupport {

    /** The repository root (set by Maven as ponte.home). */
    public static final Path HOME = Path.of(System.getProperty("ponte.home", "..")).toAbsolutePath().normalize();
    public static final Path DEMO_EXPORT = HOME.resolve("examples/legacy-clinic");
    public static final Path LEGACY_MAPPINGS = HOME.resolve("mappings/legacy-clinic");

    private HubTestSupport() {
    }

    /** Settings for a test hub: fast redelivery, fast inbox polling, a free HTTP port. */
    public static HubSettings settings(Path dataDir, Map<String, String> overrides) {
        Map<String, String> o = new HashMap<>();
        o.put("ponte.http.port", String.valueOf(freePort()));
        o.put("ponte.broker.redelivery-delay", "100");
        o.put("ponte.broker.max-redelivery-delay", "400");
        o.put("ponte.broker.max-delivery-attempts", "3");
        o.put("ponte.connectors.legacy.mappings", LEGACY_MAPPINGS.toString());
        o.put("ponte.connectors.legacy.poll-delay", "200ms");
        o.putAll(overrides);
        return HubSettings.load(dataDir, null, o);
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies export files into an inbox as a user would: written elsewhere, then moved in. */
    public static void drop(Path inbox, Path... files) throws IOException {
        Files.createDirectories(inbox);
        for (Path f : files) {
            Path tmp = inbox.getParent().resolve(f.getFileName() + ".part");
            Files.copy(f, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, inbox.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
