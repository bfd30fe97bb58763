package dev.ponte.spi;

import java.time.Duration;

/**
 * A delivery failed for a reason that can pass by itself (a timeout, a reset or refused connection, HTTP 408, 425,
 * 429 or 5xx, a rate limit): the hub rolls the command back and the broker redelivers it with exponential backoff;
 * after the last attempt it becomes a RETRIES_EXHAUSTED dead letter. This is the only exception the hub retries
 * (like Kafka Connect's {@code RetriableException}): a connector wraps its transient errors in it, and anything it
 * does not wrap is treated as a bug (an INTERNAL dead letter at once). The message is logged at each attempt and is
 * the reason an admin reads; never include a secret or personal data.
 *
 * <p>{@link #retryAfter()} carries the remote's hint ({@code Retry-After}) when it gave one. The broker's backoff is
 * configured per hub ({@code ponte.broker.redelivery-*}), not per message, so the hint is logged and kept in the
 * message; choose the broker's backoff so that it covers the remote's usual hint.
 *
 * @since 0.2
 */
public class RetriableDeliveryException extends Exception {

    private final Duration retryAfter;

    public RetriableDeliveryException(String message) {
        this(message, null, null);
    }

    public RetriableDeliveryException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param retryAfter how long the remote asked to wait before the next attempt, or {@code null} */
    public RetriableDeliveryException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the remote asked to wait before the next attempt, or {@code null} when it did not say. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
