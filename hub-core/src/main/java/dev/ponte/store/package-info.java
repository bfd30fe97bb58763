/**
 * The hub's store over JDBC (H2 embedded or PostgreSQL): canonical records, cross references, dead letters, import\n *
 * runs, the audit log, connector state, and the store-backed implementations of the SPI's services. Hub-internal.
 */
package dev.ponte.store;
