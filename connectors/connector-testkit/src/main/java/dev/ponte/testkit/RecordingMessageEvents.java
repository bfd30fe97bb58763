package dev.ponte.testkit;

import dev.ponte.spi.MessageEvents;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's {@link MessageEvents}: records what a channel connector reported, in order, idempotent like the hub's
 * (a status or reply seen before returns {@code false} / {@code DUPLICATE}). Replies are classified with the hub's
 * default keywords by {@link #intentOf}, set by the test; UNKNOWN by default. What the hub does with them
 * (appointments, answers) is tested in the hub.
 */
public final class RecordingMessageEvents implements MessageEvents {

    private final List<StatusUpdate> statuses = Collections.synchronizedList(new ArrayList<>());
    private final List<PatientReply> replies = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile java.util.function.Function<PatientReply, Intent> intentOf = r -> Intent.UNKNOWN;
    private volatile RuntimeException failWith;

    @Override
    public boolean status(StatusUpdate update) {
        fail();
        if (!seen.add("status:" + update.externalId() + ":" + update.status())) {
            return false;
        }
        statuses.add(update);
        return true;
    }

    @Override
    public Intent reply(PatientReply reply) {
        fail();
        if (!seen.add("reply:" + reply.providerId())) {
            return Intent.DUPLICATE;
        }
        replies.add(reply);
        return intentOf.apply(reply);
    }

    private void fail() {
        RuntimeException e = failWith;
        if (e != null) {
            throw e;
        }
    }

    /** How replies are classified from now on. */
    public void intentOf(java.util.function.Function<PatientReply, Intent> classifier) {
        this.intentOf = classifier;
    }

    /** Makes every call throw {@code e} (the hub's store unavailable), or behave again with {@code null}. */
    public void failWith(RuntimeException e) {
        this.failWith = e;
    }

    public List<StatusUpdate> statuses() {
        return List.copyOf(statuses);
    }

    public List<PatientReply> replies() {
        return List.copyOf(replies);
    }
}
