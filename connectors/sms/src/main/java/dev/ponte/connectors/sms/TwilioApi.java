package dev.ponte.connectors.sms;

import dev.ponte.spi.ConnectorConfig;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Twilio's REST addresses and credential: messages are a form posted to {@code
 * {base-url}/2010-04-01/Accounts/{account-sid}/Messages.json}, the health probe reads {@code
 * {base-url}/2010-04-01/Accounts/{account-sid}.json}, both with HTTP basic authentication ({@code account-sid} as
 * user, {@code auth-token} as password).
 */
final class TwilioApi {

    static final String DEFAULT_BASE_URL = "https://api.twilio.com";

    private TwilioApi() {
    }

    static ProviderHttp open(ConnectorConfig config) {
        String sid = config.string("account-sid");
        String authorization = "Basic " + Base64.getEncoder().encodeToString((sid + ":"
                + config.string("auth-token")).getBytes(StandardCharsets.UTF_8));
        String node = ProviderHttp.base(config, DEFAULT_BASE_URL) + "/2010-04-01/Accounts/" + sid;
        return new ProviderHttp(config, URI.create(node + "/Messages.json"), URI.create(node + ".json"),
                "application/x-www-form-urlencoded; charset=utf-8", "Authorization", authorization);
    }
}
