package dev.ponte.spi;

import org.apache.camel.RoutesBuilder;

/**
 * One configured, opened connector instance. The hub adds its {@link #routes()} to Camel, drives its {@link #sink()}
 * from {@code ponte.out.<instance>}, asks its {@link #health()} for {@code /health}, and {@link #close()}s it after
 * Camel stopped. Implementations must be thread safe: the sink, the routes and the health check run concurrently.
 *
 * @since 0.1
 */
public interface ConnectorInstance extends AutoCloseable {

    /**
     * The routes of the source side (inbox watchers, pollers, webhook endpoints). Route ids must start with the
     * instance name.
     *
     * @return the routes, or {@code null} when the instance has none (a pure sink)
     */
    default RoutesBuilder routes() {
        return null;
    }

    /** The sink side, or {@code null} for a pure source. */
    default Sink sink() {
        return null;
    }

    /**
     * The one-shot file import of a source instance ({@code bin/ponte import}), when it has one.
     *
     * @return the capability, or {@code null} when the instance cannot import a file on demand
     * @since 0.2
     */
    default FileImport fileImport() {
        return null;
    }

    /**
     * The one-shot poll of a source instance that polls its system ({@code bin/ponte import --connector}), when it has
     * one.
     *
     * @return the capability, or {@code null} when the instance does not poll a system
     * @since 0.7
     */
    default SourcePoll poll() {
        return null;
    }

    /**
     * Probes the system this instance talks to (a folder, a database, a remote API). Must return within a few
     * seconds and never throw: an unreachable system is {@link Health#down}.
     */
    Health health();

    /** Releases clients and threads. Must not throw for an instance that was never used. */
    @Override
    default void close() {
    }
}
