package dev.ponte.connectors.googlecalendar;

import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpExecuteInterceptor;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.HttpUnsuccessfulResponseHandler;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.jackson2.JacksonFactory;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.services.calendar.Calendar;
import com.google.api.services.calendar.CalendarScopes;
import com.google.api.services.calendar.model.Channel;
import com.google.api.services.calendar.model.Event;
import com.google.api.services.calendar.model.Events;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.auth.oauth2.UserCredentials;
import dev.ponte.spi.ConfigurationException;
import dev.ponte.spi.ConnectorConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;

/**
 * The adapter for the Google Calendar API v3 (the official {@code google-api-services-calendar} client): one place
 * for credentials, the configurable root URL, timeouts, the per-instance rate limit and the exponential backoff on
 * 429, 5xx and connection errors. The rest of the connector speaks events, not HTTP.
 */
final class CalendarGateway {

    private final Calendar calendar;
    private final Calendar probe;
    private final RateLimiter limiter;

    /**
     * @param sandbox the transport of sandbox mode, or {@code null} in production
     * @throws ConfigurationException when the credential options are missing, mixed or unreadable
     */
    CalendarGateway(ConnectorConfig config, HttpTransport sandbox) {
        limiter = new RateLimiter(config.integer("requests-per-second"));
        HttpTransport transport = sandbox != null ? sandbox : new NetHttpTransport();
        GoogleCredentials credentials = sandbox != null ? null : credentials(config, transport);
        int timeout = (int) Math.min(Integer.MAX_VALUE, config.millis("timeout"));
        calendar = client(config, transport, new Initializer(credentials, limiter, timeout,
                config.millis("backoff-initial"), config.millis("backoff-max-elapsed")));
        // the health probe answers quickly: no backoff, short timeouts
        probe = client(config, transport, new Initializer(credentials, limiter, 3000, 0, 0));
    }

    private static Calendar client(ConnectorConfig config, HttpTransport transport, HttpRequestInitializer init) {
        String root = config.url("root-url").toString();
        return new Calendar.Builder(transport, JacksonFactory.getDefaultInstance(), init)
                .setRootUrl(root.endsWith("/") ? root : root + "/")
                .setServicePath("calendar/v3/")
                .setApplicationName("ponte")
                .build();
    }

    /**
     * The credentials the configuration names. Which options are given, and that a key file is a readable service
     * account key, was checked before start-up (the descriptor's rules and {@code GoogleCalendarConnector.validate}).
     */
    static GoogleCredentials credentials(ConnectorConfig config, HttpTransport transport) {
        URI tokenUrl = config.url("token-url");
        if (config.has("service-account-key")) {
            try (InputStream in = Files.newInputStream(config.path("service-account-key"))) {
                return ServiceAccountCredentials.fromStream(in, () -> transport).toBuilder()
                        .setTokenServerUri(tokenUrl).setHttpTransportFactory(() -> transport)
                        .setScopes(List.of(CalendarScopes.CALENDAR)).build();
            } catch (IOException | RuntimeException e) {
                throw new ConfigurationException(List.of(config.fullKey("service-account-key") + ": cannot read "
                        + "the service account key " + config.path("service-account-key") + " ("
                        + e.getClass().getSimpleName() + ")"));
            }
        }
        return UserCredentials.newBuilder().setClientId(config.string("client-id"))
                .setClientSecret(config.string("client-secret"))
                .setRefreshToken(config.string("refresh-token"))
                .setTokenServerUri(tokenUrl).setHttpTransportFactory(() -> transport).build();
    }

    Event insert(String calendarId, Event event) throws IOException {
        return calendar.events().insert(calendarId, event).setSendUpdates("none").execute();
    }

    Event patch(String calendarId, String eventId, Event changes, String etag) throws IOException {
        Calendar.Events.Patch patch = calendar.events().patch(calendarId, eventId, changes).setSendUpdates("none");
        if (etag != null) {
            patch.getRequestHeaders().setIfMatch(etag);
        }
        return patch.execute();
    }

    void delete(String calendarId, String eventId, String etag) throws IOException {
        Calendar.Events.Delete delete = calendar.events().delete(calendarId, eventId).setSendUpdates("none");
        if (etag != null) {
            delete.getRequestHeaders().setIfMatch(etag);
        }
        delete.execute();
    }

    Event get(String calendarId, String eventId) throws IOException {
        return calendar.events().get(calendarId, eventId).execute();
    }

    /** One page of events: changes since {@code syncToken}, or everything when it is {@code null}. */
    Events list(String calendarId, String syncToken, String pageToken) throws IOException {
        Calendar.Events.List list = calendar.events().list(calendarId).setShowDeleted(true).setMaxResults(250)
                .setPageToken(pageToken);
        if (syncToken != null) {
            list.setSyncToken(syncToken);
        }
        return list.execute();
    }

    void watch(String calendarId, String channelId, String address, String token) throws IOException {
        calendar.events().watch(calendarId, new Channel().setId(channelId).setType("web_hook").setAddress(address)
                .setToken(token)).execute();
    }

    /** A cheap authenticated read: the first entry of the account's calendar list. */
    void ping() throws IOException {
        probe.calendarList().list().setMaxResults(1).execute();
    }

    /** Credentials, timeouts, rate limit and backoff on every request, retries included. */
    private record Initializer(GoogleCredentials credentials, RateLimiter limiter, int timeout, long backoffInitial,
                               long backoffMaxElapsed) implements HttpRequestInitializer {

        @Override
        public void initialize(HttpRequest request) throws IOException {
            if (credentials != null) {
                new HttpCredentialsAdapter(credentials).initialize(request);
            }
            HttpExecuteInterceptor auth = request.getInterceptor();
            HttpUnsuccessfulResponseHandler reauth = request.getUnsuccessfulResponseHandler();
            request.setInterceptor(r -> {
                limiter.acquire();
                if (auth != null) {
                    auth.intercept(r);
                }
            });
            request.setConnectTimeout(timeout).setReadTimeout(timeout);
            if (backoffMaxElapsed <= 0) {
                request.setNumberOfRetries(0);
                return;
            }
            request.setNumberOfRetries(10);
            HttpBackOffUnsuccessfulResponseHandler backoff = new HttpBackOffUnsuccessfulResponseHandler(backOff())
                    .setBackOffRequired(r -> r.getStatusCode() == 429 || r.getStatusCode() / 100 == 5);
            request.setUnsuccessfulResponseHandler((r, response, supportsRetry) ->
                    reauth != null && reauth.handleResponse(r, response, supportsRetry)
                            || backoff.handleResponse(r, response, supportsRetry));
            request.setIOExceptionHandler(new HttpBackOffIOExceptionHandler(backOff()));
        }

        private ExponentialBackOff backOff() {
            return new ExponentialBackOff.Builder()
                    .setInitialIntervalMillis((int) backoffInitial)
                    .setMultiplier(2.0)
                    .setRandomizationFactor(0.2)
                    .setMaxIntervalMillis((int) Math.max(backoffInitial, Math.min(backoffMaxElapsed, 60_000)))
                    .setMaxElapsedTimeMillis((int) backoffMaxElapsed)
                    .build();
        }
    }
}
