package dev.ponte.spi;

/**
 * An optional capability of a source instance that polls its system ({@link ConnectorInstance#poll()}): read what is
 * new there now, once, outside its routes, for {@code bin/ponte import --connector INSTANCE} (a first migration from a
 * legacy database, without running the hub). The rows go to the hub exactly as the instance's own poller sends them,
 * and what the poller keeps (a watermark) moves the same way, so the routes of a later {@code ponte run} go on from
 * there.
 *
 * @since 0.7
 */
public interface SourcePoll {

    /**
     * Sends every new or changed row of every mapping the instance polls, in {@link Mappings#inReferenceOrder()},
     * under one import run.
     *
     * @param runId    the run; the instance registers it with the {@link ImportTracker}
     * @param progress receives the name of the table (or other source) and the number of its rows sent so far
     * @return the number of rows sent
     * @throws SourceReadException when the system cannot be read: the message says what to fix (a missing driver, a
     *                             refused login, a wrong table); rows sent before stay sent
     */
    long pollOnce(String runId, Progress progress);

    /** Progress of a {@link #pollOnce}: rows of one source sent so far. */
    @FunctionalInterface
    interface Progress {
        void sent(String source, long rows);
    }
}
