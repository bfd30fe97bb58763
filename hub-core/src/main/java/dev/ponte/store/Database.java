package dev.ponte.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub's database: embedded H2 in file mode (PostgreSQL compatibility) under the data directory by default, or
 * PostgreSQL given by JDBC URL, behind a HikariCP pool ({@link Pool}). Schema migrations (Flyway) run on open: the
 * common ones in {@code db/migration}, and those that differ per engine in {@code db/h2} or {@code db/postgresql}.
 * Thread safe.
 */
public final class Database implements AutoCloseable {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Database.class);

    /** Work done in one transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private final DataSource dataSource;
    private final String url;
    private final boolean serializeWrites;

    private final String user;
    private final String password;
    /** The embedded file's size once opened and migrated (0 for other databases): how much this session added. */
    private final long bytesAtOpen;

    private Database(DataSource dataSource, String url, String user, String password) {
        this.dataSource = dataSource;
        this.url = url;
        this.user = user == null ? "sa" : user;
        this.password = password == null ? "" : password;
        this.bytesAtOpen = embeddedFile().map(f -> f.toFile().length()).orElse(0L);
        this.serializeWrites = url.startsWith("jdbc:h2:");
    }

    /**
     * The embedded default: {@code <dataDir>/db/ponte.mv.db}. AUTO_SERVER lets the admin CLI open the same database
     * while the hub runs. WRITE_DELAY=0 writes every commit at once: with H2's default delay a killed process loses
     * its last half second of commits while the broker has already dropped the messages they came from (found by
     * the crash test). H2 refuses DB_CLOSE_ON_EXIT=FALSE together with AUTO_SERVER, so its JVM shutdown hook stays:
     * the hub stops on SIGTERM before the JVM's shutdown begins ({@code PonteHub.awaitShutdown}) and closes the
     * database itself, last, leaving that hook nothing to do.
     */
    public static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("ponte")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    /** How long {@link #open} waits for a database file that another process is letting go of. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(20);

    /**
     * The connection pool in front of an external database ({@code ponte.db.pool.*}): at most {@code maxSize}
     * connections, {@code minIdle} kept open while idle, a request for a connection failing after
     * {@code connectionTimeout} when none is free. The embedded H2 has its own pool.
     */
    public record Pool(int maxSize, int minIdle, Duration connectionTimeout) {
        /** 10 connections at most, 2 kept idle, 30 s to wait for one. */
        public static final Pool DEFAULT = new Pool(10, 2, Duration.ofSeconds(30));

        public Pool {
            if (maxSize < 1 || minIdle < 0 || minIdle > maxSize || connectionTimeout.toMillis() < 250) {
                throw new IllegalArgumentException("ponte.db.pool: max-size must be at least 1, min-idle between 0"
                        + " and max-size, connection-timeout at least 250 ms (given " + maxSize + ", " + minIdle
                        + ", " + connectionTimeout.toMillis() + " ms)");
            }
        }
    }

    /** {@link #open(String, String, String, Pool)} with {@link Pool#DEFAULT}. */
    public static Database open(String url, String user, String password) {
        return open(url, user, password, Pool.DEFAULT);
    }

    /**
     * Opens (and migrates) the database at a JDBC URL. H2 refuses, for a moment, a database file whose lock another
     * process touched a second ago (a hub killed just now, an admin command closing it): that is waited out for up
     * to {@link #LOCK_WAIT}; any other failure is thrown at once.
     */
    public static Database open(String url, String user, String password, Pool pool) {
        long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
        while (true) {
            boolean h2 = url.startsWith("jdbc:h2:");
            DataSource ds = h2
                    ? JdbcConnectionPool.create(url, user == null ? "sa" : user, password == null ? "" : password)
                    : externalPool(url, user, password, pool);
            try {
                Flyway.configure().dataSource(ds)
                        .locations("classpath:db/migration", h2 ? "classpath:db/h2" : "classpath:db/postgresql")
                        .load().migrate();
                return new Database(ds, url, user, password);
            } catch (RuntimeException e) {
                if (ds instanceof JdbcConnectionPool jdbcPool) {
                    jdbcPool.dispose();
                } else if (ds instanceof HikariDataSource hikari) {
                    hikari.close();
                }
                if (!lockFileBusy(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new StoreException("the database " + maskPassword(url) + " is still held by another process"
                            + " after " + LOCK_WAIT.toSeconds() + " s: stop the other `ponte run` or admin command"
                            + " using this data directory, then start again", e);
                }
                LOG.info("the database {} is being released by another process; trying again for up to {} s",
                        maskPassword(url), LOCK_WAIT.toSeconds());
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static HikariDataSource externalPool(String url, String user, String password, Pool pool) {
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new StoreException("ponte.db.url: " + maskPassword(url) + " is neither the embedded H2 (leave"
                    + " ponte.db.url empty) nor PostgreSQL (jdbc:postgresql://host:5432/database): no other database"
                    + " is supported", null);
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(pool.maxSize());
        config.setMinimumIdle(pool.minIdle());
        config.setConnectionTimeout(pool.connectionTimeout().toMillis());
        config.setPoolName("ponte-db");
        config.setAutoCommit(false);
        // a server that is down must fail the first use with its reason, not the hub's start with a pool error
        config.setInitializationFailTimeout(-1);
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open a connection pool to " + maskPassword(url) + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Whether another process is letting go of the database: its lock file was touched a moment ago, or the lock file
     * still names an AUTO_SERVER that has just closed (connection refused, or "Locked by another process" while the
     * file lock is being released), or another process took the lock file at the same moment ("Another process was
     * faster"), as when a hub starts while an admin command or a test's query opens or closes the database.
     */
    static boolean lockFileBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && (t.getMessage().contains("Lock file recently modified")
                    // the process that held the file is closing it, its AUTO_SERVER already gone (H2 error 90020)
                    || t.getMessage().contains("Locked by another process")
                    // two processes took the lock file at the same moment and the other one won (H2's FileLock)
                    || t.getMessage().contains("Another process was faster"))) {
                return true;
            }
            if (t instanceof java.net.ConnectException && e.toString().contains("Connection is broken")) {
                return true;
            }
        }
        return false;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** The JDBC URL, with any password parameter masked (it is logged). */
    public String url() {
        return maskPassword(url);
    }

    private static String maskPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    /**
     * One write transaction at a time on an embedded H2, per {@code Database} (a hub has one). H2 2.3.232 does not always recover a
     * transaction atomically after a kill or a full disk when another transaction was open while it committed (a row
     * of an uncommitted transaction left behind, a committed row missing from an index: docs/architecture.md, "The
     * embedded database after a crash"). In an experiment with the hub's tables and transactions, 44 of 1,245 crash
     * images taken with concurrent writers were inconsistent and none of 1,392 with writers serialized, at the same
     * rows per second. Fair, so that the event publisher is not starved by the import. Not for other databases:
     * PostgreSQL recovers atomically and must not be serialized (several hubs share it). Admin commands in other
     * processes, which reach the hub's database through AUTO_SERVER, are not covered. Per instance, not static: a
     * hub restarted in the same JVM (tests) must not wait for a thread of the stopped one stuck on a full disk.
     */
    private final ReentrantLock writes = new ReentrantLock(true);

    /** Runs {@code work} in a transaction: committed when it returns, rolled back when it throws. */
    public <T> T inTransaction(Work<T> work) {
        if (!serializeWrites) {
            return transaction(work, false);
        }
        try {
            writes.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the database (the hub is stopping); nothing of "
                    + "this work was done", e);
        }
        try {
            return transaction(work, false);
        } finally {
            writes.unlock();
        }
    }

    /**
     * Runs {@code work} in a read-only transaction, rolled back at the end, without waiting for the write
     * transactions of this database: for probes that must answer while an import writes (health). It must not write.
     */
    public <T> T read(Work<T> work) {
        return transaction(work, true);
    }

    /** Whether the current thread runs a read ({@link #read}) of some {@code Database} (see {@link #inRead}). */
    private static final ThreadLocal<Boolean> READING = ThreadLocal.withInitial(() -> false);

    /**
     * Whether the work running on this thread is a read ({@link #read}), so that code shared between reads and
     * writes can tell them apart: a write takes row locks where it reads what it will change ({@code Messages}), a
     * read does not. A thread's own flag, not {@link Connection#isReadOnly}: H2 ignores {@code setReadOnly}.
     */
    static boolean inRead() {
        return READING.get();
    }

    private <T> T transaction(Work<T> work, boolean readOnly) {
        boolean outer = READING.get();
        READING.set(readOnly);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                if (readOnly) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("database error on " + url() + ": " + e.getMessage() + diskFullHint(e), e);
        } finally {
            READING.set(outer);
        }
    }

    /** Says so in words when the real cause is a full disk (H2 reports it several layers down). */
    static String diskFullHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("No space left on device")) {
                return " -- THE DISK OF THE DATABASE IS FULL: free space (or move the data directory); nothing "
                        + "committed is lost, and the work waiting in the broker resumes once the hub is restarted";
            }
        }
        return "";
    }

    /** A cautious compaction speed of H2 (measured: 490 MB of file in 3.6 s, 2-core machine, 2026-12). */
    static final long COMPACT_BYTES_PER_SECOND = 80L << 20;

    /** The embedded database's file, when this is one. */
    private java.util.Optional<Path> embeddedFile() {
        return url.startsWith("jdbc:h2:file:") ? java.util.Optional.of(Path.of(url.substring("jdbc:h2:file:".length(),
                url.indexOf(';') < 0 ? url.length() : url.indexOf(';')) + ".mv.db")) : java.util.Optional.empty();
    }

    /** A file that grew by more than this share since it was opened is compacted at close ({@link #closeCompacting}). */
    static final double COMPACT_AFTER_GROWTH = 0.05;

    /** What {@link #closeCompacting} did: the file's size before and after, and how long it took. */
    public record Compaction(long bytesBefore, long bytesAfter, long millis) {
    }

    /**
     * Closes the database, first compacting an embedded H2 file when at least {@code minBytes} large and either grew
     * by more than {@link #COMPACT_AFTER_GROWTH} since it was opened or holds less than {@code maxFillPercent} % live
     * data (H2's estimate, which runs high: a file of 80 % live data was estimated at 85 %). H2 writes every commit as a new copy of the pages it changed (copy on write,
     * {@code WRITE_DELAY=0}) and reuses the old space only later, so a bulk import leaves a file several times the
     * size of its data (100k-row import: 490 MB for 105 MB of live data). {@code SHUTDOWN COMPACT} writes the live
     * data to a new file and replaces the old one atomically (a kill meanwhile leaves the old file as it was), at
     * about 100 MB of file per second. Only the hub itself calls this, at its stop: the {@code SHUTDOWN} closes the
     * database for every session of this JVM (see {@link #close}). Any other database is only closed.
     *
     * @param maxMillis the time it may take: a file whose compaction would take longer (estimated at
     *                  {@link #COMPACT_BYTES_PER_SECOND}) is left as it is, with a log line saying so
     * @return what the compaction did, or empty when it was not worth it, had no time (or not an embedded H2)
     */
    public java.util.Optional<Compaction> closeCompacting(long minBytes, int maxFillPercent, long maxMillis) {
        java.util.Optional<Compaction> done = java.util.Optional.empty();
        if (!serializeWrites || !url.startsWith("jdbc:h2:file:") || !(dataSource instanceof JdbcConnectionPool)) {
            close();
            return done;
        }
        long size;
        int fill;
        try (Connection c = dataSource.getConnection()) {
            size = Long.parseLong(info(c, "info.FILE_SIZE"));
            // the share of the file in chunks, times the share of live data in those chunks
            fill = Integer.parseInt(info(c, "info.FILL_RATE")) * Integer.parseInt(info(c, "info.CHUNKS_FILL_RATE"))
                    / 100;
        } catch (SQLException | RuntimeException e) {
            LOG.warn("the database's size could not be read ({}); it is not compacted, nothing is lost",
                    e.getMessage());
            close();
            return done;
        }
        close(); // the pool's sessions end first: a SHUTDOWN under them would leave H2 a trace of each
        boolean grew = bytesAtOpen > 0 && size > bytesAtOpen * (1 + COMPACT_AFTER_GROWTH);
        if (size < minBytes || (fill >= maxFillPercent && !grew)) {
            return done;
        }
        long estimate = size * 1000 / COMPACT_BYTES_PER_SECOND;
        if (estimate > maxMillis) {
            LOG.info("the database ({} MB, about {} % live data) would take about {} s to compact, more than this stop"
                    + " has left: left as it is this time (a stop without a time limit, such as the end of `bin/ponte"
                    + " import`, compacts it)", size >> 20, fill, estimate / 1000);
            return done;
        }
        long started = System.nanoTime();
        LOG.info("compacting the database ({} MB, about {} % of it live data): about a second per 100 MB", size >> 20,
                fill);
        try (Connection c = DriverManager.getConnection(url, user, password);
             java.sql.Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            LOG.warn("the database could not be compacted ({}); it stays as it is, nothing is lost", e.getMessage());
            return done;
        }
        long after = -1;
        try {
            after = java.nio.file.Files.size(embeddedFile().orElseThrow());
        } catch (java.io.IOException e) {
            LOG.debug("cannot read the compacted file's size", e);
        }
        done = java.util.Optional.of(new Compaction(size, after, (System.nanoTime() - started) / 1_000_000));
        LOG.info("database compacted from {} MB to {} MB in {} ms", size >> 20, after >> 20, done.get().millis());
        return done;
    }

    private static String info(Connection c, String name) throws SQLException {
        try (java.sql.PreparedStatement ps = c.prepareStatement(
                "select setting_value from information_schema.settings where setting_name = ?")) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("H2 does not report " + name);
                }
                return rs.getString(1);
            }
        }
    }

    /** Connections of the pool in use and its maximum, or {@code null} while the pool has not started. */
    public int[] poolUsage() {
        if (dataSource instanceof JdbcConnectionPool pool) {
            return new int[]{pool.getActiveConnections(), pool.getMaxConnections()};
        }
        if (dataSource instanceof HikariDataSource hikari && hikari.getHikariPoolMXBean() != null) {
            return new int[]{hikari.getHikariPoolMXBean().getActiveConnections(), hikari.getMaximumPoolSize()};
        }
        return null;
    }

    /** Whether this is PostgreSQL (not the embedded H2). */
    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /**
     * Closes the pool's connections; embedded H2 closes the database with its last session, releasing the file. No
     * SHUTDOWN: an admin command run in the hub's own JVM (tests, {@code demo}) shares the hub's embedded database,
     * and its SHUTDOWN closed the database under the running hub. Sessions that admin commands in other processes
     * hold through AUTO_SERVER keep the database open until they end or this JVM exits.
     */
    @Override
    public void close() {
        if (dataSource instanceof JdbcConnectionPool pool) {
            pool.dispose();
        } else if (dataSource instanceof HikariDataSource hikari) {
            hikari.close();
        }
    }
}
