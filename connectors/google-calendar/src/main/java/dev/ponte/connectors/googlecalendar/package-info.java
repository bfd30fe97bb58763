/**
 * The {@code google-calendar} connector: appointments to professionals' Google Calendars and their changes back\n *
 * (incremental sync, push notifications). Uses the hub through {@code dev.ponte.spi} only.
 */
package dev.ponte.connectors.googlecalendar;
