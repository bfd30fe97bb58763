/**
 * The {@code whatsapp} connector: patient messages through the WhatsApp Cloud API (Graph API), delivery statuses and
 * replies from Meta's signed webhook. Uses the hub through {@code dev.ponte.spi} only.
 */
package dev.ponte.connectors.whatsapp;
