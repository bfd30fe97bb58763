/**
 * The {@code http-webhook} connector: the minimal sink, signed Standard Webhooks posts. Uses the hub through\n * {@code
 * dev.ponte.spi} only.
 */
package dev.ponte.connectors.httpwebhook;
