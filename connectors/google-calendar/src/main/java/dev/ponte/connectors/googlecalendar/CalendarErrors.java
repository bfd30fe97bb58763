package dev.ponte.connectors.googlecalendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpResponseException;
import dev.ponte.spi.HttpStatusPolicy;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.RetriableDeliveryException;

import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * How a Google Calendar error is handled: the hub's shared {@link HttpStatusPolicy} (408, 425, 429, 5xx and I/O
 * errors such as a reset or a timeout are retried; other 4xx are permanent) with one Google-specific override: a 403
 * whose reason is rateLimitExceeded, userRateLimitExceeded or quotaExceeded is a rate limit, retried. 409, 412,
 * 404/410 are handled by the caller before this.
 */
final class CalendarErrors {

    private static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded",
            "quotaExceeded");

    private CalendarErrors() {
    }

    static int status(IOException e) {
        return e instanceof HttpResponseException h ? h.getStatusCode() : -1;
    }

    static String reason(IOException e) {
        if (e instanceof GoogleJsonResponseException g && g.getDetails() != null && g.getDetails().getErrors() != null
                && !g.getDetails().getErrors().isEmpty()) {
            return g.getDetails().getErrors().get(0).getReason();
        }
        return null;
    }

    static boolean isTransient(IOException e) {
        int status = status(e);
        return status < 0 || status == 403 && RATE_LIMITS.contains(reason(e)) || HttpStatusPolicy.isRetriable(status);
    }

    /**
     * The exception the hub should see: a transient error becomes a {@link RetriableDeliveryException} (the broker
     * redelivers; Google's {@code Retry-After}, when given, is kept as its hint), anything else a
     * {@link PermanentDeliveryException} that says what Google refused.
     */
    static Exception classify(IOException e, String what) {
        if (isTransient(e)) {
            String retryAfter = e instanceof HttpResponseException h && h.getHeaders() != null
                    ? h.getHeaders().getRetryAfter() : null;
            return new RetriableDeliveryException("Google Calendar: " + what + " failed for now (" + describe(e)
                    + "); retried with backoff", e, HttpStatusPolicy.retryAfter(retryAfter, Clock.systemUTC()));
        }
        return new PermanentDeliveryException("Google Calendar refused to " + what + " (" + describe(e)
                + "); fix the calendar's sharing or the appointment, then replay the dead letter");
    }

    static String describe(IOException e) {
        if (e instanceof GoogleJsonResponseException g) {
            GoogleJsonError d = g.getDetails();
            String reason = reason(e);
            return "HTTP " + g.getStatusCode() + (reason == null ? "" : " " + reason)
                    + (d != null && d.getMessage() != null ? ": " + d.getMessage() : "");
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
