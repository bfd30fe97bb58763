package dev.ponte.broker;

import dev.ponte.store.CanonicalEvent;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.jms.client.ActiveMQMessage;

/**
 * How an event on {@link Queues#EVENTS} is marked for the subscribers of every protocol the broker speaks: the body is
 * the structured-mode CloudEvent ({@link CanonicalEvent#toJson()}, UTF-8 JSON) and its media type
 * {@value #CONTENT_TYPE} goes where each protocol carries a content type:
 * <ul>
 *   <li>AMQP 1.0 (CloudEvents AMQP binding, structured mode): the {@code content-type} property, and the body is one
 *       {@code data} section of UTF-8 bytes (Artemis' own {@code JMS_AMQP_ContentType} and
 *       {@code JMS_AMQP_ORIGINAL_ENCODING} message properties, which its Core→AMQP conversion turns into exactly
 *       that);</li>
 *   <li>MQTT 5 (CloudEvents MQTT binding, structured mode): the Content Type property, with Payload Format Indicator
 *       1 (UTF-8); MQTT 3.1.1 has no properties, the payload alone is the event (structured mode is the only mode of
 *       that binding);</li>
 *   <li>STOMP: the {@code content-type} header;</li>
 *   <li>JMS/Core: the string property {@code _AMQ_CONTENT_TYPE} (read it as a Core property; it is not a JMS
 *       identifier for selectors).</li>
 * </ul>
 * The string attributes are also message properties named as the AMQP binding names them for binary mode,
 * {@code cloudEvents_<attribute>} (the binding's {@code _} separator, which JMS selectors accept): AMQP application
 * properties, STOMP headers, JMS properties. The structured binding allows them; they let a subscriber filter
 * (a JMS or STOMP {@code selector}, an AMQP filter) without parsing the body. The body stays the truth: {@code time}
 * (an AMQP timestamp in the binding's binary mode) and {@code data} are only there.
 */
public final class CloudEventsMessages {

    /** The CloudEvents JSON event format's media type, with the charset of the body. */
    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=utf-8";
    /** Prefix of the attribute properties (CloudEvents AMQP binding, {@code _} separator). */
    public static final String PROPERTY_PREFIX = "cloudEvents_";

    /** Artemis: the AMQP {@code content-type} of the message when it goes out over AMQP. */
    static final String AMQP_CONTENT_TYPE = "JMS_AMQP_ContentType";
    /** Artemis: the AMQP body section of a text message when it goes out over AMQP; 2 = one {@code data} section. */
    static final String AMQP_ORIGINAL_ENCODING = "JMS_AMQP_ORIGINAL_ENCODING";
    static final short AMQP_DATA = 2;
    /** Artemis: the MQTT 5 Content Type and Payload Format Indicator of the message when it goes out over MQTT. */
    static final String MQTT_CONTENT_TYPE = "mqtt.content.type";
    static final String MQTT_PAYLOAD_FORMAT_INDICATOR = "mqtt.payload.format.indicator";

    private CloudEventsMessages() {
    }

    /**
     * Marks a text message whose body is {@code event.toJson()} as a structured-mode CloudEvent for every protocol.
     *
     * @param message a message of the Artemis JMS client (the hub's own broker connection)
     */
    public static void structured(jakarta.jms.Message message, CanonicalEvent event) throws jakarta.jms.JMSException {
        if (!(message instanceof ActiveMQMessage artemis)) {
            throw new IllegalArgumentException("not a message of the Artemis JMS client: " + message.getClass());
        }
        ICoreMessage core = artemis.getCoreMessage();
        core.putStringProperty(org.apache.activemq.artemis.api.core.Message.HDR_CONTENT_TYPE.toString(),
                CONTENT_TYPE);
        core.putStringProperty(AMQP_CONTENT_TYPE, CONTENT_TYPE);
        core.putShortProperty(AMQP_ORIGINAL_ENCODING, AMQP_DATA);
        core.putStringProperty(MQTT_CONTENT_TYPE, CONTENT_TYPE);
        core.putIntProperty(MQTT_PAYLOAD_FORMAT_INDICATOR, 1);
        attribute(message, "specversion", "1.0");
        attribute(message, "id", event.id());
        attribute(message, "source", event.source());
        attribute(message, "type", event.type());
        attribute(message, "subject", event.subject());
        attribute(message, "clinic", event.clinic());
        attribute(message, "correlationid", event.correlationId());
        // the hub's first property name for the type, kept for subscribers that select on it
        message.setStringProperty("ce_type", event.type());
    }

    private static void attribute(jakarta.jms.Message message, String name, String value)
            throws jakarta.jms.JMSException {
        if (value != null) {
            message.setStringProperty(PROPERTY_PREFIX + name, value);
        }
    }
}
