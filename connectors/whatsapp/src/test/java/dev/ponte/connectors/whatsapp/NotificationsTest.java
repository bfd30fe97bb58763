package dev.ponte.connectors.whatsapp;

import dev.ponte.spi.MessageEvents;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Notifications} on its own: the envelope all or nothing, each part inside it on its own, what is counted
 * and that no reason shows a value of the body.
 */
class NotificationsTest {

    private static final String INSTANCE = "kit";
    private static final String OURS = GraphStandIn.PHONE_NUMBER_ID;

    private static Notifications.Batch parse(String body) throws Notifications.Malformed {
        return Notifications.parse(INSTANCE, OURS, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anEnvelopeThatIsNotANotificationIsMalformed() {
        String good = Meta.statuses("wamid.E-1", "read", "1767261600");
        for (String body : new String[] {"", "not json", "[]", "\"whatsapp_business_account\"",
                "{\"object\":\"page\",\"entry\":[]}", "{\"object\":\"whatsapp_business_account\"}",
                "{\"object\":\"whatsapp_business_account\",\"entry\":{}}",
                "{\"object\":\"whatsapp_business_account\",\"entry\":null}", good + "{", good + " 1"}) {
            assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(Notifications.Malformed.class);
        }
    }

    @Test
    void theChangesOfAnotherNumberAreIgnoredAndTheirIdsKept() throws Exception {
        Notifications.Batch b = parse(Meta.notification(
                Meta.change(OURS, Meta.statusList("wamid.O-1", "sent", "1767261600")),
                Meta.change("409552778964973", Meta.statusList("wamid.O-2", "sent", "1767261601")),
                Meta.change("409552778964973", "\"messages\":[" + Meta.textMessage("wamid.O-IN", "5511987654321",
                        "oi", null, 1767261602) + "]"),
                Meta.change("PHONE_NUMBER_ID", Meta.statusList("wamid.O-3", "sent", "1767261603")),
                Meta.change(null, Meta.statusList("wamid.O-4", "sent", "1767261604")),
                Meta.change("", Meta.statusList("wamid.O-5", "sent", "1767261605"))));
        assertThat(b.statuses()).extracting(MessageEvents.StatusUpdate::externalId)
                .containsExactly("wamid.O-1", "wamid.O-4", "wamid.O-5");
        assertThat(b.replies()).isEmpty();
        assertThat(b.otherNumbers()).containsExactly("409552778964973", "409552778964973", Notifications.NOT_DIGITS);
        assertThat(b.unreadable()).isEmpty();
        assertThat(b.unreadableParts()).isEmpty();
        assertThat(b.ignored()).isZero();
    }

    @Test
    void anUnreadableStatusOrMessageIsSkippedWithWhereItIsNeverWhat() throws Exception {
        Notifications.Batch b = parse(Meta.notification(Meta.change(OURS, "\"statuses\":["
                + "{\"id\":\"wamid.K-1\",\"status\":\"delivered\",\"timestamp\":\"1767261600\"},"
                + "{\"status\":\"read\",\"timestamp\":\"1767261601\"},"
                + "{\"id\":\"wamid.K-1\",\"status\":\"read\",\"timestamp\":\"31/12/2025\"},"
                + "{\"id\":\"wamid.K-1\",\"status\":\"deleted\",\"timestamp\":\"1767261602\"}],"
                + "\"messages\":[" + Meta.textMessage("wamid.K-IN-1", "ana.lima", "segredo", null, 1767261603) + ","
                + "{\"from\":\"5511987654321\",\"id\":\"wamid.K-IN-2\",\"timestamp\":\"1767261604\"},"
                + Meta.textMessage("wamid.K-IN-3", "5511987654321", "sim", "wamid.K-1", 1767261605) + "]")));
        assertThat(b.statuses()).containsExactly(new MessageEvents.StatusUpdate(INSTANCE, "wamid.K-1",
                MessageEvents.DeliveryStatus.DELIVERED, Instant.ofEpochSecond(1767261600), null, null));
        assertThat(b.replies()).containsExactly(new MessageEvents.PatientReply(INSTANCE, "wamid.K-IN-3",
                "+5511987654321", "wamid.K-1", "sim", null, Instant.ofEpochSecond(1767261605)));
        assertThat(b.ignored()).as("the deleted status").isEqualTo(1);
        assertThat(b.unreadable()).containsExactly(
                "entry[0].changes[0].value.statuses[1].id is missing or not a text",
                "entry[0].changes[0].value.statuses[2].timestamp is not Unix seconds",
                "entry[0].changes[0].value.messages[0].from is not a phone number (E.164 digits)",
                "entry[0].changes[0].value.messages[1].type is missing or not a text");
        assertThat(String.join(" ", b.unreadable())).doesNotContain("ana.lima", "segredo", "31/12", "5511987654321");
        assertThat(b.unreadableParts()).isEmpty();
        assertThat(b.otherNumbers()).isEmpty();
    }

    @Test
    void anUnreadableEntryOrChangeIsSkippedAndTheOthersRead() throws Exception {
        String good = Meta.change(OURS, Meta.statusList("wamid.P-1", "read", "1767261600"));
        Notifications.Batch b = parse("{\"object\":\"whatsapp_business_account\",\"entry\":["
                + "\"not an entry\", {\"id\":\"1\"}, {\"id\":\"1\",\"changes\":[{\"value\":{}},"
                + "{\"field\":\"messages\",\"value\":[]}, {\"field\":\"messages\",\"value\":{\"statuses\":{}}},"
                + "{\"field\":\"message_template_status_update\",\"value\":{\"event\":\"APPROVED\"}}," + good + "]}]}");
        assertThat(b.statuses()).extracting(MessageEvents.StatusUpdate::externalId).containsExactly("wamid.P-1");
        assertThat(b.ignored()).as("the template status change").isEqualTo(1);
        assertThat(b.unreadableParts()).containsExactly(
                "entry[0] is not an object",
                "entry[1].changes is not an array",
                "entry[2].changes[0].field is missing or not a text",
                "entry[2].changes[1].value is not an object",
                "entry[2].changes[2].value.statuses is not an array");
        assertThat(b.unreadable()).isEmpty();
    }

    @Test
    void aNotificationWithNothingInItIsEmpty() throws Exception {
        Notifications.Batch b = parse("{\"object\":\"whatsapp_business_account\",\"entry\":[]}");
        assertThat(b.statuses()).isEmpty();
        assertThat(b.replies()).isEmpty();
        assertThat(b.unreadable()).isEmpty();
        assertThat(b.unreadableParts()).isEmpty();
    }
}
