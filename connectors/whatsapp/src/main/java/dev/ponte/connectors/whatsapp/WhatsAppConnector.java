package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.SendRate;
import dev.ponte.spi.ConfigField;
import dev.ponte.spi.ConfigType;
import dev.ponte.spi.ConfigValidator;
import dev.ponte.spi.Connector;
import dev.ponte.spi.ConnectorContext;
import dev.ponte.spi.ConnectorDescriptor;
import dev.ponte.spi.ConnectorInstance;
import dev.ponte.spi.Direction;
import dev.ponte.spi.OutboundMessage;

import java.time.Duration;
import java.util.List;

/**
 * {@code whatsapp}: the WhatsApp channel of the hub's patient messages, on Meta's WhatsApp Cloud API.
 * <ul>
 *   <li>hub → patient ({@link MessageSink}): each {@code Message} command becomes one {@code POST
 *       {base-url}/{api-version}/{phone-number-id}/messages}: the approved template when the hub's message has a
 *       template form, else a session text (which Meta accepts only within 24 hours of the patient's last message).
 *       Meta's errors are classified by code ({@link GraphErrors}); at most {@code messages-per-second} sends per
 *       second ({@link SendRate});</li>
 *   <li>Meta → hub ({@link WebhookEndpoint}, on {@code webhook-path}): the verification challenge (GET) and the signed
 *       notifications (POST, {@code X-Hub-Signature-256}); the delivery statuses and patients' replies of its
 *       {@code phone-number-id} are reported to {@link dev.ponte.spi.MessageEvents} (those of the app's other numbers
 *       are ignored). What a reply means is the hub's, never the connector's.</li>
 * </ul>
 * The direction is {@link Direction#SINK}: the connector brings no canonical records in through the inbound pipeline
 * (statuses and replies go to {@code MessageEvents}, not to {@code ponte.in.<instance>}), so it has no entity to
 * declare under {@code reads}.
 */
public final class WhatsAppConnector implements Connector {

    public static final String TYPE = "whatsapp";

    static final ConnectorDescriptor DESCRIPTOR = new ConnectorDescriptor(TYPE, "0.1",
            "Sends patient messages through the WhatsApp Cloud API and reports delivery statuses and replies",
            Direction.SINK, List.of(), List.of(OutboundMessage.ENTITY),
            List.of(
                    ConfigField.required("phone-number-id", ConfigType.STRING, "Id of the clinic's WhatsApp "
                            + "business phone number (WhatsApp Manager > API Setup: Phone number ID; not the number)")
                            .validatedBy(ConfigValidator.matching("[0-9]{1,32}",
                                    "the numeric phone number id of WhatsApp Manager (digits only)")),
                    ConfigField.secret("access-token", "Access token of the Graph API: a system user's permanent "
                            + "token with whatsapp_business_messaging (Meta Business Settings > System users)", true)
                            .validatedBy(ConfigValidator.minLength(20)),
                    ConfigField.secret("app-secret", "Secret of the Meta app (App settings > Basic): the key of "
                            + "the X-Hub-Signature-256 signature of every webhook notification", true)
                            .validatedBy(ConfigValidator.minLength(16)),
                    ConfigField.secret("verify-token", "Verify token typed in the app's webhook settings; Meta "
                            + "echoes it when it verifies the callback URL", true)
                            .validatedBy(ConfigValidator.minLength(16)),
                    ConfigField.optional("api-version", ConfigType.STRING, "v21.0",
                            "Graph API version of every request, e.g. v21.0")
                            .validatedBy(ConfigValidator.matching("v[0-9]+\\.[0-9]+",
                                    "a Graph API version such as v21.0")),
                    ConfigField.optional("base-url", ConfigType.URL, "https://graph.facebook.com",
                            "Root URL of the Graph API; change only for a stand-in in tests")
                            .validatedBy(ConfigValidator.schemes("https", "http")),
                    ConfigField.optional("webhook-path", ConfigType.STRING, "/webhooks/whatsapp/${instance}",
                            "Path of the webhook on the hub's HTTP server (the callback URL typed in Meta's "
                                    + "console reaches it through your HTTPS proxy)")
                            .validatedBy(ConfigValidator.matching("/[A-Za-z0-9._~/-]*",
                                    "a path starting with / (letters, digits, . _ ~ - /)")),
                    ConfigField.optional("messages-per-second", ConfigType.INT, "80",
                            "Messages per second sent at most from this phone number (Meta's throughput: 80 by "
                                    + "default, up to 1000 when upgraded)")
                            .validatedBy(ConfigValidator.between(1, 1000)),
                    ConfigField.optional("timeout", ConfigType.DURATION, "10s",
                            "Connect and response timeout of each request to the Graph API")
                            .validatedBy(ConfigValidator.between(Duration.ofMillis(100), Duration.ofMinutes(2)))));

    @Override
    public ConnectorDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ConnectorInstance open(ConnectorContext context) {
        return new WhatsAppInstance(context);
    }
}
