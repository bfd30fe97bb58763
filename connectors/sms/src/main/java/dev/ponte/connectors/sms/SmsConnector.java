package dev.ponte.connectors.sms;

import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigRule;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.spi.OutboundMessage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sms}: the SMS channel of the hub's patient messages. One connector, three providers ({@code provider}):
 * <ul>
 *   <li>{@code smpp}: an SMSC (an operator's or an aggregator's) over SMPP 3.4, bound as transceiver
 *       ({@link SmppProvider});</li>
 *   <li>{@code twilio}: Twilio's Programmable Messaging REST API, with signed status callbacks and inbound messages
 *       ({@link TwilioProvider});</li>
 *   <li>{@code zenvia}: Zenvia's API v2 SMS channel, with its status and inbound-message webhook
 *       ({@link ZenviaProvider}).</li>
 * </ul>
 * Delivery receipts and statuses go to {@link dev.ponte.spi.MessageEvents#status}, patients' answers to
 * {@link dev.ponte.spi.MessageEvents#reply}; what an answer means is the hub's. The direction is
 * {@link Direction#SINK}: nothing enters the inbound pipeline.
 */
public final class SmsConnector implements Connector {

    public static final String TYPE = "sms";
    static final String SMPP = "smpp";
    static final String TWILIO = "twilio";
    static final String ZENVIA = "zenvia";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Sends patient messages as SMS (SMPP 3.4, Twilio or Zenvia) and reports receipts and replies",
            Direction.SINK, List.of(), List.of(OutboundMessage.ENTITY), fields(), rules());

    private static List<ConfigField> fields() {
        List<ConfigField> f = new ArrayList<>();
        f.add(ConfigField.choice("provider", null, "How the SMS are sent: smpp (an SMSC over SMPP 3.4), twilio or "
                + "zenvia", SMPP, TWILIO, ZENVIA));
        f.add(ConfigField.optional("from", ConfigType.STRING, null, "Sender of the messages: the short code, long "
                        + "number (E.164) or alphanumeric sender id the provider assigned the clinic (smpp: the "
                        + "source address; twilio: From; zenvia: the sender id)")
                .validatedBy(ConfigValidator.matching("\\+?[0-9]{3,15}|[A-Za-z0-9 ._-]{1,11}",
                        "a number (+5511…, a short code) or an alphanumeric sender id of at most 11 characters")));
        f.add(ConfigField.optional("messages-per-second", ConfigType.INT, "10",
                        "Messages sent per second at most (the provider's or the SMSC's throttle)")
                .validatedBy(ConfigValidator.between(1, 1000)));
        f.add(ConfigField.optional("transliterate", ConfigType.BOOLEAN, "false", "Replace characters outside "
                + "the GSM 7-bit alphabet (á, ç, õ…) by their plain letters, so each segment holds 160 characters "
                + "instead of 70 (UCS-2); off: the text goes as written"));
        f.add(ConfigField.optional("timeout", ConfigType.DURATION, "10s",
                        "Connect and response timeout of each request to the provider or the SMSC")
                .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(2))));
        // smpp
        f.add(ConfigField.optional("host", ConfigType.STRING, null, "smpp: host name or address of the SMSC"));
        f.add(ConfigField.optional("port", ConfigType.PORT, "2775", "smpp: TCP port of the SMSC"));
        f.add(ConfigField.optional("system-id", ConfigType.STRING, null, "smpp: the system_id the SMSC gave the "
                + "clinic (its login)").validatedBy(ConfigValidator.matching(".{1,15}", "at most 15 characters")));
        f.add(ConfigField.secret("password", "smpp: the password of the bind (at most 8 characters in SMPP 3.4)",
                false).validatedBy(ConfigValidator.matching(".{1,8}", "at most 8 characters")));
        f.add(ConfigField.optional("system-type", ConfigType.STRING, "", "smpp: system_type of the bind, when the "
                + "SMSC asks for one"));
        f.add(ConfigField.optional("enquire-link-interval", ConfigType.DURATION, "30s", "smpp: how often the "
                + "bind is checked with enquire_link when idle")
                .validatedBy(ConfigValidator.between(Duration.ofSeconds(1), Duration.ofMinutes(10))));
        f.add(ConfigField.optional("reconnect-delay", ConfigType.DURATION, "5s", "smpp: wait before binding again "
                + "after the SMSC went away").validatedBy(ConfigValidator.between(Duration.ofMillis(100),
                Duration.ofMinutes(10))));
        // twilio
        f.add(ConfigField.optional("account-sid", ConfigType.STRING, null, "twilio: the Account SID (AC…, Console "
                + "> Account info)").validatedBy(ConfigValidator.matching("AC[0-9a-fA-F]{32}",
                "AC followed by 32 hexadecimal digits")));
        f.add(ConfigField.secret("auth-token", "twilio: the Auth Token (Console > Account info): the password of "
                + "every request and the key of the X-Twilio-Signature of every callback", false)
                .validatedBy(ConfigValidator.minLength(16)));
        f.add(ConfigField.optional("messaging-service-sid", ConfigType.STRING, null, "twilio: a Messaging Service "
                + "(MG…) to send from instead of the from number").validatedBy(ConfigValidator.matching(
                "MG[0-9a-fA-F]{32}", "MG followed by 32 hexadecimal digits")));
        f.add(ConfigField.optional("public-url", ConfigType.URL, null, "twilio, zenvia: the public HTTPS address "
                + "of the hub's HTTP server as the provider reaches it (through your proxy), e.g. "
                + "https://ponte.clinica.com.br; the callback URL is it plus webhook-path, and Twilio signs that URL")
                .validatedBy(ConfigValidator.schemes("https", "http")));
        // zenvia
        f.add(ConfigField.secret("api-token", "zenvia: the API token (Zenvia console > Developers > Tokens)",
                false).validatedBy(ConfigValidator.minLength(16)));
        f.add(ConfigField.secret("webhook-token", "zenvia: a secret of your choice, set as the X-Ponte-Token "
                + "header of the webhook subscription; callbacks without it are refused", false)
                .validatedBy(ConfigValidator.minLength(16)));
        // http providers
        f.add(ConfigField.optional("base-url", ConfigType.URL, null, "twilio, zenvia: root URL of the provider's "
                + "API (https://api.twilio.com, https://api.zenvia.com by default); change only for a stand-in")
                .validatedBy(ConfigValidator.schemes("https", "http")));
        f.add(ConfigField.optional("webhook-path", ConfigType.STRING, "/webhooks/sms/${instance}",
                        "twilio, zenvia: path of the status and inbound-message webhook on the hub's HTTP server")
                .validatedBy(ConfigValidator.matching("/[A-Za-z0-9._~/-]*",
                        "a path starting with / (letters, digits, . _ ~ - /)")));
        return f;
    }

    private static boolean is(ConnectorConfig c, String provider) {
        return provider.equals(c.string("provider"));
    }

    private static ConfigRule requiredFor(String key, String provider) {
        return ConfigRule.of("required with provider=" + provider, c -> !is(c, provider) || c.has(key), key,
                "provider");
    }

    private static List<ConfigRule> rules() {
        return List.of(
                requiredFor("host", SMPP), requiredFor("system-id", SMPP), requiredFor("password", SMPP),
                requiredFor("account-sid", TWILIO), requiredFor("auth-token", TWILIO),
                requiredFor("public-url", TWILIO),
                ConfigRule.of("required with provider=twilio: give from (a Twilio number) or messaging-service-sid",
                        c -> !is(c, TWILIO) || c.has("from") || c.has("messaging-service-sid"), "from",
                        "messaging-service-sid", "provider"),
                requiredFor("api-token", ZENVIA), requiredFor("from", ZENVIA), requiredFor("webhook-token", ZENVIA));
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new SmsInstance(context);
    }
}
