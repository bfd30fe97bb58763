package dev.ponte.messaging;

import dev.ponte.model.ConsentPurpose;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Why a message is sent; each purpose needs the patient's consent for one {@link ConsentPurpose}. */
public enum MessagePurpose {
    CONFIRMATION(ConsentPurpose.REMINDERS),
    REMINDER(ConsentPurpose.REMINDERS),
    /** An appointment as a calendar entry (e-mail with an iCalendar invitation), and its changes. */
    INVITATION(ConsentPurpose.REMINDERS),
    RECALL(ConsentPurpose.MARKETING),
    RECEIPT(ConsentPurpose.BILLING),
    FREE(ConsentPurpose.CARE);

    private final ConsentPurpose consent;

    MessagePurpose(ConsentPurpose consent) {
        this.consent = consent;
    }

    /** The consent purpose a patient must have granted for this purpose on the channel. */
    public ConsentPurpose consent() {
        return consent;
    }

    /** The name used in files and settings: {@code reminder}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<MessagePurpose> parse(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id)).findFirst();
    }
}
