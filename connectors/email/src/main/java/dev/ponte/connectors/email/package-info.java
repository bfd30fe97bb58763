/**
 * The {@code email} connector: patient messages over SMTP (camel-mail, Jakarta Mail), appointment invitations as
 * iCalendar (ical4j), bounces and replies over IMAP. Uses the hub through {@code dev.ponte.spi} only.
 */
package dev.ponte.connectors.email;
