/**
 * What happens to what sources send: reading {@code ponte.in.<instance>} (typed by\n * {@link
 * dev.ponte.spi.InboundSender#KIND_HEADER}), mapping, validation and storage of each row, and the hub's\n *
 * implementations of the SPI's inbound and mapping access. Hub-internal.
 */
package dev.ponte.inbound;
