package dev.ponte.hub;

import dev.ponte.glossary.Glossary;
import dev.ponte.messaging.Invitations;
import dev.ponte.messaging.MessagingSettings;
import dev.ponte.messaging.Reminders;
import dev.ponte.messaging.TemplateException;
import dev.ponte.messaging.TemplateLoader;
import dev.ponte.messaging.TemplateSet;
import dev.ponte.model.Channel;
import dev.ponte.spi.ConnectorConfig;
import dev.ponte.spi.Direction;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the messaging settings and templates at start-up, adding every problem to the hub's list: which connector
 * instance serves each channel (the one instance of the channel's type, {@code whatsapp}, {@code sms},
 * {@code email}, unless {@code ponte.messaging.connector.<channel>} names one), and the templates, loaded only when
 * some channel is served.
 */
final class MessagingSetup {

    /** The templates the hub itself needs when messaging is on. */
    static final List<String> REQUIRED = dev.ponte.messaging.Messaging.REQUIRED_TEMPLATES;

    private MessagingSetup() {
    }

    static MessagingSettings settings(HubSettings s, List<ConnectorConfig> configs, List<String> problems) {
        MessagingSettings ms = MessagingSettings.from(s.all());
        problems.addAll(ms.problems());
        Map<Channel, String> found = new EnumMap<>(Channel.class);
        for (Channel ch : Channel.values()) {
            String key = MessagingSettings.PREFIX + "connector." + ch.name().toLowerCase(Locale.ROOT);
            String named = ms.connectors().get(ch);
            if (named != null) {
                ConnectorConfig c = configs.stream().filter(x -> x.instance().equals(named)).findFirst().orElse(null);
                if (c == null) {
                    problems.add(key + ": no connector instance '" + named + "' is configured");
                } else if (c.descriptor().direction() == Direction.SOURCE) {
                    problems.add(key + ": '" + named + "' (" + c.descriptor().type() + ") cannot send messages");
                }
                continue;
            }
            List<String> ofType = configs.stream().filter(x -> x.descriptor().type().equals(ch.name()
                    .toLowerCase(Locale.ROOT))).map(ConnectorConfig::instance).toList();
            if (ofType.size() == 1) {
                found.put(ch, ofType.get(0));
            } else if (ofType.size() > 1) {
                problems.add(key + ": " + ofType.size() + " instances can send " + ch + " messages " + ofType
                        + "; name the one to use");
            }
        }
        return ms.withConnectors(found);
    }

    static TemplateSet templates(HubSettings s, MessagingSettings ms, Glossary glossary, List<String> problems) {
        boolean enabled = ms.channels().stream().anyMatch(ms.connectors()::containsKey);
        if (!enabled) {
            return new TemplateSet(List.of());
        }
        Path folder = ms.templates() != null ? ms.templates() : Path.of(System.getProperty("ponte.home", "."),
                "mappings", "templates");
        TemplateSet set = new TemplateSet(List.of());
        try {
            set = new TemplateLoader(glossary).loadFolder(folder);
        } catch (TemplateException e) {
            e.problems().forEach(p -> problems.add(MessagingSettings.PREFIX + "templates: " + p));
        }
        if (java.nio.file.Files.isDirectory(folder)) {
            List<String> required = new java.util.ArrayList<>(REQUIRED);
            if (dev.ponte.messaging.Messaging.invitationSettings(ms).enabled()) {
                required.addAll(List.of(Invitations.TEMPLATE, Invitations.CANCEL_TEMPLATE));
            }
            for (String id : required) {
                if (!java.nio.file.Files.exists(folder.resolve(id + "." + ms.language() + ".yaml"))) {
                    problems.add(MessagingSettings.PREFIX + "templates: " + folder + " has no " + id + "."
                            + ms.language() + ".yaml, which the hub needs to send "
                            + (id.equals(Reminders.TEMPLATE) ? "reminders" : id.startsWith(Invitations.TEMPLATE)
                            ? "calendar invitations by e-mail (or set " + MessagingSettings.PREFIX
                            + "invitations=false)" : "answers to patients' replies"));
                }
            }
        }
        return set;
    }
}
