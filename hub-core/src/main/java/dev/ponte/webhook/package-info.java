/**
 * The hub's side of {@link dev.ponte.spi.Webhooks}: the endpoints connector instances register, served as Camel
 * {@code platform-http} routes on the hub's HTTP server.
 */
package dev.ponte.webhook;
