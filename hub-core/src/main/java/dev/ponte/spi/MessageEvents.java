package dev.ponte.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a patient-facing channel connector (WhatsApp, SMS, e-mail) reports what happened to the messages the hub sent
 * through it, and what patients answered. Both calls are durable when they return: a webhook handler calls them
 * before it answers 200, so a provider's retry after a crash is the only path to a second call, and both are
 * idempotent (a status already applied, or a reply already recorded, changes nothing).
 *
 * <p>The hub owns the meaning: a status moves the hub's message forward only (a late {@code DELIVERED} after
 * {@code READ} changes nothing); a reply is classified into an intent with the configured keywords and button
 * payloads (confirm, cancel, reschedule), and the hub changes the appointment through its inbound pipeline and sends
 * the answer; a reply it cannot classify is recorded for a person to read, never guessed. A connector never decides
 * what a reply means.
 *
 * @since 0.3
 */
public interface MessageEvents {

    /**
     * Applies a provider's delivery status to the message it sent as {@code externalId}.
     *
     * @return whether the message changed (false: unknown id, the same status again, or an older one)
     * @throws RuntimeException when the hub cannot record it now (database unavailable); the caller answers the
     *                          provider with a status that makes it retry (503)
     */
    boolean status(StatusUpdate update);

    /**
     * Records a patient's answer and acts on it.
     *
     * @return what the hub understood
     * @throws RuntimeException when the hub cannot record it now; the caller answers 503 so the provider retries
     */
    Intent reply(PatientReply reply);

    /** A provider's delivery status, in the order a message can only move forward. */
    enum DeliveryStatus {
        SENT, DELIVERED, READ, FAILED
    }

    /** What the hub understood a reply to mean. */
    enum Intent {
        CONFIRM, CANCEL, RESCHEDULE, UNKNOWN,
        /** The same reply was already recorded (a provider's retry). */
        DUPLICATE
    }

    /**
     * @param connector  the instance reporting it
     * @param externalId the provider's id of the sent message (the {@code Delivery.externalId} the sink returned)
     * @param status     the new status
     * @param at         when the provider says it happened
     * @param errorCode  the provider's error code of a FAILED status, or {@code null}
     * @param errorTitle the provider's short error description (no personal data), or {@code null}
     */
    record StatusUpdate(String connector, String externalId, DeliveryStatus status, Instant at, String errorCode,
                        String errorTitle) {
        public StatusUpdate {
            Objects.requireNonNull(connector, "connector");
            Objects.requireNonNull(externalId, "externalId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * @param connector  the instance reporting it
     * @param providerId the provider's id of the patient's message (the idempotency key of the reply)
     * @param from       the sender's address: E.164 with {@code +} for phone channels, an e-mail address
     * @param inReplyTo  the provider's id of the hub's message it answers (WhatsApp {@code context.id}), or
     *                   {@code null}: the hub then takes the last message it sent to {@code from} on this connector
     * @param text       what the patient typed, or {@code null} for a button
     * @param button     the payload of the button pressed, or {@code null}
     * @param at         when the patient sent it
     */
    record PatientReply(String connector, String providerId, String from, String inReplyTo, String text,
                        String button, Instant at) {
        public PatientReply {
            Objects.requireNonNull(connector, "connector");
            Objects.requireNonNull(providerId, "providerId");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String toString() {
            // never the text or the sender: personal data
            return "PatientReply[" + connector + " " + providerId + (button != null ? ", button" : ", text") + "]";
        }
    }
}
