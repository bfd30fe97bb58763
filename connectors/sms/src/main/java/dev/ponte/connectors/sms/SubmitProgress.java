package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorStateStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * What the SMSC already acknowledged of each message, in the instance's durable state, so that a command delivered
 * again (the hub retrying after an error, or after a crash between the SMSC's answer and the hub's commit) sends
 * only the segments the SMSC has not acknowledged yet, with the same concatenation reference.
 *
 * <ul>
 *   <li>{@code smpp:progress:<business key>} (or its SHA-256 when the key is long):
 *       {@code v1 <text hash> <reference> <id of segment 1>,<id of segment 2>,…}; a command with the same business key
 *       but another text starts over;</li>
 *   <li>{@code smpp:segment:<id of any segment>}: the id of segment 1 (itself for segment 1), so a receipt for any
 *       segment is reported under the id the hub recorded for the message.</li>
 * </ul>
 * The state is written after each {@code submit_sm_resp}: an acknowledgement the connection lost before it reached
 * the hub (the SMSC took the segment, its answer never arrived) cannot be known, and that segment is sent again.
 */
final class SubmitProgress {

    private static final int MAX_KEY = 200;
    private static final int MAX_VALUE = 1000;
    private static final String FORMAT = "v1";

    private final ConnectorStateStore store;

    SubmitProgress(ConnectorStateStore store) {
        this.store = store;
    }

    /**
     * The acknowledged segments of one message.
     *
     * @param key       the state key
     * @param textHash  a hash of the text these segments belong to
     * @param reference the concatenation reference
     * @param ids       the SMSC's ids of the acknowledged segments, in order (segment 1 first)
     * @param version   the stored version, {@link ConnectorStateStore#ABSENT} when nothing is stored
     */
    record Progress(String key, String textHash, int reference, List<String> ids, long version) {

        /** How many segments the SMSC acknowledged. */
        int acknowledged() {
            return ids.size();
        }
    }

    /**
     * The progress of a command, or a fresh one (nothing acknowledged, reference {@code reference}) when none is
     * stored or the stored one is of another text.
     */
    Progress load(String businessKey, String text, int reference) {
        String key = key("smpp:progress:", businessKey);
        String hash = hash(text).substring(0, 16);
        Optional<ConnectorStateStore.Versioned> stored = store.get(key);
        if (stored.isPresent()) {
            String[] f = stored.get().value().split(" ", 4);
            if (f.length >= 3 && FORMAT.equals(f[0]) && hash.equals(f[1])) {
                List<String> ids = f.length == 4 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
                return new Progress(key, hash, Integer.parseInt(f[2]), ids, stored.get().version());
            }
            return new Progress(key, hash, reference, List.of(), stored.get().version());
        }
        return new Progress(key, hash, reference, List.of(), ConnectorStateStore.ABSENT);
    }

    /**
     * Records one more acknowledged segment.
     *
     * @return the progress as stored now
     * @throws IllegalStateException when the ids no longer fit the state's value (more than about a dozen segments
     *                               with long ids)
     */
    Progress acknowledged(Progress p, String segmentId) {
        List<String> ids = new ArrayList<>(p.ids());
        ids.add(segmentId);
        String value = FORMAT + " " + p.textHash() + " " + p.reference() + " " + String.join(",", ids);
        if (value.length() > MAX_VALUE) {
            throw new IllegalStateException("the SMSC's ids of " + ids.size() + " segments do not fit the "
                    + MAX_VALUE + " characters of a state value");
        }
        long version = p.version();
        while (!store.put(p.key(), value, version)) {
            // another writer of the same command's key in between (a second hub process): ours is the newer fact
            version = store.get(p.key()).map(ConnectorStateStore.Versioned::version)
                    .orElse(ConnectorStateStore.ABSENT);
        }
        return new Progress(p.key(), p.textHash(), p.reference(), List.copyOf(ids), version + 1);
    }

    /** Remembers that a segment's id stands for the message's first segment id (itself for the first). */
    void mapSegment(String segmentId, String firstId) {
        String key = key("smpp:segment:", segmentId);
        long version = store.get(key).map(ConnectorStateStore.Versioned::version).orElse(ConnectorStateStore.ABSENT);
        while (!store.put(key, firstId, version)) {
            version = store.get(key).map(ConnectorStateStore.Versioned::version).orElse(ConnectorStateStore.ABSENT);
        }
    }

    /**
     * The id a receipt for {@code messageId} is reported under: its message's first segment id; empty when the id
     * was never recorded (not sent by this instance, or its submit_sm_resp is being recorded right now).
     */
    Optional<String> firstId(String messageId) {
        return store.value(key("smpp:segment:", messageId));
    }

    private static String key(String prefix, String id) {
        String key = prefix + id;
        return key.length() <= MAX_KEY ? key : prefix + "sha256:" + hash(id);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** A concatenation reference derived from the business key: the same in production and in sandbox mode. */
    static int reference(String businessKey) {
        return Integer.parseInt(hash(businessKey).substring(0, 2), 16);
    }
}
