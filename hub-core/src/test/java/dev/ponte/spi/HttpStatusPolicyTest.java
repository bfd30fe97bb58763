package dev.ponte.spi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HttpStatusPolicyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-10-21T07:27:00Z"), ZoneOffset.UTC);

    @Test
    void twoHundredsAreDelivered() {
        for (int status : new int[]{200, 201, 202, 204, 299}) {
            assertThat(HttpStatusPolicy.classify(status)).as("HTTP %d", status)
                    .isEqualTo(HttpStatusPolicy.Outcome.DELIVERED);
            assertThat(HttpStatusPolicy.failure(status, null, "post x", CLOCK)).isNull();
        }
        assertThatCode(() -> HttpStatusPolicy.check(204, null, "post x")).doesNotThrowAnyException();
    }

    @Test
    void timeoutsTooEarlyRateLimitsAndServerErrorsAreRetriable() {
        for (int status : new int[]{408, 425, 429, 500, 502, 503, 504, 599}) {
            assertThat(HttpStatusPolicy.classify(status)).as("HTTP %d", status)
                    .isEqualTo(HttpStatusPolicy.Outcome.RETRIABLE);
            assertThat(HttpStatusPolicy.failure(status, null, "post x", CLOCK)).as("HTTP %d", status)
                    .isInstanceOf(RetriableDeliveryException.class).hasMessageContaining("HTTP " + status);
        }
    }

    @Test
    void otherStatusesArePermanent() {
        for (int status : new int[]{400, 401, 403, 404, 409, 410, 413, 422, 499, 301, 304, 100, 600}) {
            assertThat(HttpStatusPolicy.classify(status)).as("HTTP %d", status)
                    .isEqualTo(HttpStatusPolicy.Outcome.PERMANENT);
        }
        assertThatThrownBy(() -> HttpStatusPolicy.check(422, "30", "post appointment-1 to erp.example"))
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("post appointment-1 to erp.example").hasMessageContaining("HTTP 422");
    }

    @Test
    void retryAfterInSecondsOrAsADateIsKeptAsTheHint() {
        RetriableDeliveryException seconds = (RetriableDeliveryException) HttpStatusPolicy.failure(429, "120", "post x",
                CLOCK);
        assertThat(seconds.retryAfter()).isEqualTo(Duration.ofSeconds(120));
        assertThat(seconds).hasMessageContaining("Retry-After 120 s");
        RetriableDeliveryException date = (RetriableDeliveryException) HttpStatusPolicy.failure(503,
                "Wed, 21 Oct 2015 07:28:00 GMT", "post x", CLOCK);
        assertThat(date.retryAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(HttpStatusPolicy.retryAfter("Wed, 21 Oct 2015 07:00:00 GMT", CLOCK)).isEqualTo(Duration.ZERO);
        assertThat(HttpStatusPolicy.retryAfter("soon", CLOCK)).isNull();
        assertThat(HttpStatusPolicy.retryAfter(null, CLOCK)).isNull();
        assertThat(((RetriableDeliveryException) HttpStatusPolicy.failure(503, null, "post x", CLOCK)).retryAfter())
                .isNull();
    }

    @Test
    void ioErrorsAreRetriableWithTheirCause() {
        for (IOException e : new IOException[]{new ConnectException("Connection refused"),
                new HttpTimeoutException("request timed out"), new IOException("Connection reset")}) {
            RetriableDeliveryException r = HttpStatusPolicy.ioFailure(e, "post x");
            assertThat(r).hasCause(e).hasMessageContaining(e.getClass().getSimpleName());
        }
    }
}
