package dev.ponte.hub;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One health check run on its own thread with a time bound, so that {@code /health} answers even when what it probes
 * hangs (a database blocked on a full disk, a broker that accepts connections and never answers, a remote system
 * that does not reply).
 * <p>
 * At most one probe of a check is in flight: while a probe hangs, later requests wait on the same probe (up to their
 * own bound) instead of starting another thread, so a hung system cannot exhaust threads however often monitoring
 * asks. Thread safe.
 */
final class BoundedCheck {

    /**
     * What a check found. {@code state} is UP, DEGRADED (works, an admin must act soon), DOWN or UNKNOWN (no answer in
     * time, for remote systems).
     */
    record Result(String state, String detail) {

        static Result degraded(String detail) {
            return new Result("DEGRADED", detail);
        }

        static Result up(String detail) {
            return new Result("UP", detail);
        }

        static Result down(String detail) {
            return new Result("DOWN", detail);
        }

        /** UP or DEGRADED: it works. */
        boolean isUp() {
            return "UP".equals(state) || "DEGRADED".equals(state);
        }

        boolean isDegraded() {
            return "DEGRADED".equals(state);
        }

        /** As shown in {@code /health}: {@code UP}, or the state and why. */
        String text() {
            return detail == null || detail.isEmpty() ? state : state + ": " + detail;
        }
    }

    private final String name;
    private final String whenSilent;
    private final String stateWhenSilent;
    private final Callable<Result> probe;
    private CompletableFuture<Result> inFlight;
    private long startedNanos;

    /**
     * @param name            what is checked, in the words of the messages ("the database")
     * @param stateWhenSilent the state reported when the probe does not answer in time: DOWN for what the hub itself
     *                        needs, UNKNOWN for a remote system
     * @param whenSilent      what an admin should look at when it does not answer (the likely causes)
     * @param probe           the check itself; an exception is a DOWN with its message
     */
    BoundedCheck(String name, String stateWhenSilent, String whenSilent, Callable<Result> probe) {
        this.name = name;
        this.stateWhenSilent = stateWhenSilent;
        this.whenSilent = whenSilent;
        this.probe = probe;
    }

    /** Starts a probe unless one is still running, and returns it. */
    synchronized CompletableFuture<Result> start() {
        if (inFlight == null || inFlight.isDone()) {
            startedNanos = System.nanoTime();
            CompletableFuture<Result> f = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    f.complete(probe.call());
                } catch (Exception | LinkageError e) {
                    f.complete(Result.down(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                }
            }, "ponte-health-" + name.replace(' ', '-'));
            t.setDaemon(true);
            inFlight = f;
            t.start();
        }
        return inFlight;
    }

    /** Waits for {@code probe} until {@code deadlineNanos} ({@link System#nanoTime()}); a silent probe is reported. */
    Result await(CompletableFuture<Result> probe, long deadlineNanos, Duration bound) {
        try {
            return probe.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            long runningMillis;
            synchronized (this) {
                runningMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
            }
            return new Result(stateWhenSilent, String.format(Locale.ROOT,
                    "%s did not answer within %d ms (its check has been waiting for %.1f s): %s", name,
                    bound.toMillis(), runningMillis / 1000.0, whenSilent));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(stateWhenSilent, name + ": health check interrupted");
        } catch (ExecutionException e) {
            return Result.down(String.valueOf(e.getCause().getMessage())); // start() completes, never fails
        }
    }
}
