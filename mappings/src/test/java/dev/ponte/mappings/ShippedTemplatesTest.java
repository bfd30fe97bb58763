package dev.ponte.mappings;

import dev.ponte.messaging.MessagePurpose;
import dev.ponte.messaging.Template;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The message templates shipped in templates/ load against the glossary, and the hub's own are there. */
class ShippedTemplatesTest {

    @Test
    void theShippedTemplatesLoadAndCoverWhatTheHubSends() {
        TemplateSet set = new TemplateLoader(ShippedMappings.glossary()).loadFolder(ShippedMappings.TEMPLATES);
        Template reminder = set.find("reminder", "pt-BR", "pt-BR").orElseThrow();
        assertThat(reminder.purpose()).isEqualTo(MessagePurpose.REMINDER);
        assertThat(reminder.channels()).contains(Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);
        assertThat(reminder.whatsapp().buttons()).containsExactly("CONFIRM", "CANCEL");
        assertThat(reminder.placeholders()).extracting(Object::toString)
                .contains("{{Patient.name|first}}", "{{Appointment.start|time}}");
        assertThat(set.find("reply-confirmed", "pt-BR", "pt-BR")).isPresent();
        assertThat(set.find("reply-cancelled", "pt-BR", "pt-BR")).isPresent();
    }
}
