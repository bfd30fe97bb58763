package dev.ponte.testkit;

import java.util.List;

/**
 * An open dead letter of the kit's hub, as a connector's tests see it (no hub types).
 *
 * @param errorClass the hub's error class as {@code bin/ponte dlq list} shows it: {@code MAPPING},
 *                   {@code VALIDATION}, {@code PERMANENT_REMOTE}, {@code RETRIES_EXHAUSTED}, {@code INTERNAL}…
 * @param rules      the rules, e.g. {@code remote-rejected}, {@code internal-error}
 * @param reason     the recorded violations or reason, as text
 * @param sourceKey  the record's or command's key
 * @param connector  the instance it belongs to
 * @param payload    what is kept for replay
 */
public record OpenDeadLetter(String errorClass, List<String> rules, String reason, String sourceKey, String connector,
                             String payload) {
    public OpenDeadLetter {
        rules = List.copyOf(rules);
    }
}
