package dev.ponte.connectors.googlecalendar;

import com.google.api.client.googleapis.json.GoogleJsonError;
import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import dev.ponte.spi.PermanentDeliveryException;

import java.io.IOException;
import java.util.Set;

/**
 * How a Google Calendar error is handled. Transient: 429, 5xx, 403 rateLimitExceeded / userRateLimitExceeded /
 * quotaExceeded and I/O errors (reset, timeout): retried with backoff. 409, 412, 404/410 are handled by the caller.
 * Anything else is permanent.
 */
final class CalendarErrors {

    private static final Set<String> RATE_LIMITS = Set.of("rateLimitExceeded", "userRateLimitExceeded",
            "quotaExceeded");

    private CalendarErrors() {
    }

    static int status(IOException e) {
        return e instanceof GoogleJsonResponseException g ? g.getStatusCode() : -1;
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
        return status < 0 || status == 429 || status >= 500 || status == 403 && RATE_LIMITS.contains(reason(e));
    }

    /**
     * The exception the hub should see: a transient one is returned as is (the broker redelivers), anything else
     * becomes a {@link PermanentDeliveryException} that says what Google refused.
     */
    static Exception classify(IOException e, String what) {
        if (isTransient(e)) {
            return new IOException("Google Calendar: " + what + " failed for now (" + describe(e)
                    + "); retried with backoff", e);
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
