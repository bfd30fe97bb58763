package dev.ponte.spi;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one classification of HTTP outcomes that every HTTP-based sink uses, so that they agree on what is retried:
 * <ul>
 *   <li>2xx: delivered;</li>
 *   <li>408 Request Timeout, 425 Too Early, 429 Too Many Requests and every 5xx: {@link RetriableDeliveryException},
 *       with the {@code Retry-After} header (seconds or an HTTP date) as {@link RetriableDeliveryException#retryAfter()}
 *       and in the message;</li>
 *   <li>any other status (other 4xx, and 1xx/3xx that the client did not follow): {@link PermanentDeliveryException};</li>
 *   <li>an I/O error before a status (connection refused or reset, timeout, unknown host): retriable.</li>
 * </ul>
 * A connector with remote-specific rules (Google's 403 {@code rateLimitExceeded} is a rate limit, not a refusal)
 * checks those first and falls back to this class.
 *
 * @since 0.2
 */
public final class HttpStatusPolicy {

    /** What a status means for a delivery. */
    public enum Outcome { DELIVERED, RETRIABLE, PERMANENT }

    private HttpStatusPolicy() {
    }

    public static Outcome classify(int status) {
        if (status >= 200 && status < 300) {
            return Outcome.DELIVERED;
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500 && status < 600) {
            return Outcome.RETRIABLE;
        }
        return Outcome.PERMANENT;
    }

    public static boolean isRetriable(int status) {
        return classify(status) == Outcome.RETRIABLE;
    }

    /**
     * Throws what the hub expects for a status that is not 2xx; returns normally for 2xx.
     *
     * @param what       what was attempted and on whom, for the message: "post appointment-123 to erp.example"; no
     *                   personal data
     * @param retryAfter the response's {@code Retry-After} header, or {@code null}
     */
    public static void check(int status, String retryAfter, String what) throws RetriableDeliveryException,
            PermanentDeliveryException {
        Exception failure = failure(status, retryAfter, what, Clock.systemUTC());
        if (failure instanceof RetriableDeliveryException r) {
            throw r;
        }
        if (failure instanceof PermanentDeliveryException p) {
            throw p;
        }
    }

    /**
     * The exception for a status that is not 2xx ({@code null} for 2xx): a {@link RetriableDeliveryException} or a
     * {@link PermanentDeliveryException}.
     */
    public static Exception failure(int status, String retryAfter, String what, Clock clock) {
        switch (classify(status)) {
            case DELIVERED:
                return null;
            case RETRIABLE:
                Duration wait = retryAfter(retryAfter, clock);
                return new RetriableDeliveryException(what + " failed for now (HTTP " + status
                        + (wait == null ? "" : ", Retry-After " + wait.toSeconds() + " s") + "); retried with backoff",
                        null, wait);
            default:
                return new PermanentDeliveryException(what + " was refused with HTTP " + status
                        + "; no retry can fix it: check the receiver's logs, then replay the dead letter");
        }
    }

    /** An I/O error before any status (refused, reset, timeout): retriable, the cause kept. */
    public static RetriableDeliveryException ioFailure(IOException e, String what) {
        return new RetriableDeliveryException(what + " failed for now (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + "); retried with backoff", e);
    }

    /**
     * A {@code Retry-After} value: delta-seconds ({@code 120}) or an HTTP date ({@code Wed, 21 Oct 2015 07:28:00
     * GMT}); {@code null} when absent or unreadable. A date in the past is zero.
     */
    public static Duration retryAfter(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String v = header.trim();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException tooLong) {
                return null;
            }
        }
        try {
            Duration d = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toInstant());
            return d.isNegative() ? Duration.ZERO : d.withNanos(0);
        } catch (DateTimeParseException unreadable) {
            return null;
        }
    }
}
