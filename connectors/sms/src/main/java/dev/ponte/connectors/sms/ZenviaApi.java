package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;

import java.net.URI;

/**
 * Zenvia's API v2 addresses and credential: messages are JSON posted to {@code {base-url}/v2/channels/sms/messages},
 * the health probe lists {@code {base-url}/v2/subscriptions}, both with {@code X-API-TOKEN: <api-token>}.
 */
final class ZenviaApi {

    static final String DEFAULT_BASE_URL = "https://api.zenvia.com";
    static final String TOKEN_HEADER = "X-API-TOKEN";

    private ZenviaApi() {
    }

    static ProviderHttp open(ConnectorConfig config) {
        String base = ProviderHttp.base(config, DEFAULT_BASE_URL);
        return new ProviderHttp(config, URI.create(base + "/v2/channels/sms/messages"),
                URI.create(base + "/v2/subscriptions"), "application/json", TOKEN_HEADER,
                config.string("api-token"));
    }
}
