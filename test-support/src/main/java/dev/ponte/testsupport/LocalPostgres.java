package dev.ponte.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for the tests of one JVM: either the server named by the environment variable
 * {@value #URL_ENV} (a JDBC URL with {@code user} and {@code password} parameters, of a role allowed to create
 * schemas), or one started here from the machine's PostgreSQL binaries (Debian's {@code postgresql} package:
 * {@code /usr/lib/postgresql/<version>/bin}, or the folder {@value #BIN_ENV} names) in a temporary folder, on a free
 * loopback port, stopped and removed when the JVM exits. As root (CI), the server runs as the {@code postgres} user,
 * as PostgreSQL refuses to run as root. Each test gets a schema of its own ({@link #freshSchema}).
 *
 * <p>The server started here trades durability for speed ({@code fsync=off}): tests kill hubs, never this server.
 */
public final class LocalPostgres {

    /** A JDBC URL of an existing server to use instead of starting one. */
    public static final String URL_ENV = "PONTE_TEST_POSTGRES_URL";
    /** The folder of {@code initdb}, {@code pg_ctl} and {@code postgres}, when not under /usr/lib/postgresql. */
    public static final String BIN_ENV = "PONTE_TEST_POSTGRES_BIN";

    /** Why no server could be had. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final System.Logger LOG = System.getLogger(LocalPostgres.class.getName());

    private static LocalPostgres shared;
    private static Unavailable failure;
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private final String baseUrl;
    private final String user;
    private final String password;

    private LocalPostgres(String baseUrl, String user, String password) {
        this.baseUrl = baseUrl;
        this.user = user;
        this.password = password;
    }

    /** The server of this JVM, started (or connected to) on the first call; the same failure on every later call. */
    public static synchronized LocalPostgres shared() {
        if (shared != null) {
            return shared;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            String url = System.getenv(URL_ENV);
            shared = url != null && !url.isBlank() ? new LocalPostgres(url, null, null) : start();
            try (Connection c = shared.connect()) {
                c.isValid(5);
            }
            return shared;
        } catch (Unavailable e) {
            failure = e;
            throw e;
        } catch (SQLException e) {
            failure = new Unavailable("the PostgreSQL server at " + masked(shared.baseUrl) + " refused a connection: "
                    + e.getMessage(), e);
            shared = null;
            throw failure;
        }
    }

    /** The role tests connect as ({@code null}: given in the URL). */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The URL of the server's {@code postgres} database, without a schema. */
    public String baseUrl() {
        return baseUrl;
    }

    /** A new, empty schema, and the JDBC URL whose connections use it (so Flyway migrates it, and nothing else). */
    public String freshSchema() {
        String schema = "t" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute("create schema " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema + " on " + masked(baseUrl) + ": "
                    + e.getMessage(), e);
        }
        return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    private Connection connect() throws SQLException {
        return user == null ? DriverManager.getConnection(baseUrl) : DriverManager.getConnection(baseUrl, user, password);
    }

    private static String masked(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    // ---- starting a server from the binaries

    private static LocalPostgres start() {
        Path bin = binaries().orElseThrow(() -> new Unavailable("no PostgreSQL binaries found (initdb, pg_ctl):"
                + " install Debian's postgresql package (apt-get install postgresql), or set " + BIN_ENV
                + " to their folder, or " + URL_ENV + " to a server", null));
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            Path dir = Files.createTempDirectory("ponte-pg-");
            Path data = dir.resolve("data");
            Path log = dir.resolve("server.log");
            if (root) {
                UserPrincipal postgres;
                try {
                    postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                } catch (IOException e) {
                    throw new Unavailable("running as root, the server must run as the user postgres, which this"
                            + " machine does not have (the postgresql package creates it)", e);
                }
                Files.setOwner(dir, postgres);
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            run(root, dir, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "ponte",
                    "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"));
            run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(),
                    "-w", "-t", "60", "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir
                            + " -c fsync=off -c full_page_writes=off -c max_connections=300", "start"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(root, bin, dir, data), "ponte-test-pg-stop"));
            return new LocalPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "ponte", "");
        } catch (IOException e) {
            throw new Unavailable("the PostgreSQL server could not be started from " + bin + ": " + e.getMessage(), e);
        }
    }

    private static Optional<Path> binaries() {
        String env = System.getenv(BIN_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(String folder) {
        try {
            return Integer.parseInt(folder.replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void run(boolean root, Path dir, List<String> command) throws IOException {
        List<String> full = new ArrayList<>();
        if (root) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Path out = Files.createTempFile("ponte-pg-cmd-", ".log");
        try {
            Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new Unavailable(String.join(" ", full) + " did not finish within 90 s", null);
            }
            if (p.exitValue() != 0) {
                String server = "";
                Path log = dir.resolve("server.log");
                if (Files.exists(log)) {
                    server = "\nserver log:\n" + Files.readString(log, StandardCharsets.UTF_8);
                }
                throw new Unavailable(String.join(" ", full) + " failed (exit " + p.exitValue() + "):\n"
                        + Files.readString(out, StandardCharsets.UTF_8) + server, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("interrupted while starting PostgreSQL", e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void stop(boolean root, Path bin, Path dir, Path data) {
        try {
            run(root, dir, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
                    "-w", "stop"));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the test PostgreSQL server in {0} did not stop: {1}", dir,
                    e.getMessage());
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the test PostgreSQL folder {0} was not removed: {1}", dir,
                    e.getMessage());
        }
    }
}
