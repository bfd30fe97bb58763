package dev.ponte.connectors.sms;

import dev.ponte.spi.OutboundCommand;
import dev.ponte.spi.OutboundMessage;
import dev.ponte.spi.PermanentDeliveryException;
import dev.ponte.spi.Sink;

import java.util.regex.Pattern;

/**
 * Reads each {@code Message} command and hands it to the provider. A recipient that is not an E.164 number is refused
 * for good here (the hub then tries the patient's next channel); a command that is not a message is a routing bug
 * (an INTERNAL dead letter).
 */
final class SmsSink implements Sink {

    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private final SmsProvider provider;

    SmsSink(SmsProvider provider) {
        this.provider = provider;
    }

    @Override
    public Delivery deliver(OutboundCommand command) throws Exception {
        OutboundMessage m = OutboundMessage.of(command);
        if (!E164.matcher(m.recipient()).matches()) {
            throw new PermanentDeliveryException("SMS: message " + m.messageId() + " has no mobile number in E.164 "
                    + "as its recipient; fix the patient's mobile phone (+55 DDD number), then replay the dead letter");
        }
        return provider.send(command, m);
    }
}
