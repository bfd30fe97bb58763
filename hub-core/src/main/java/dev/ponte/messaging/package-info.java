/**
 * Messages to patients, for every channel: templates ({@link dev.ponte.messaging.TemplateLoader}), durable
 * scheduled messages and their dispatcher ({@link dev.ponte.messaging.MessageDispatcher}, driven by
 * {@link dev.ponte.messaging.MessageRoutes}), the policy checked before every send
 * ({@link dev.ponte.messaging.MessagePolicy}: consent, quiet hours, cadence, recipient), the channel order and the
 * fallback to the next channel ({@link dev.ponte.messaging.MessageOutcomes}), reminders of appointments
 * ({@link dev.ponte.messaging.Reminders}), and what channel connectors report back
 * ({@link dev.ponte.messaging.HubMessageEvents}: statuses, replies, intents). Channel connectors only deliver a
 * rendered {@link dev.ponte.spi.OutboundMessage}.
 */
package dev.ponte.messaging;
