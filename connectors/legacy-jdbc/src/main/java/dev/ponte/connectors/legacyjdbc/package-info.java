/**
 * The {@code legacy-jdbc} connector: incremental polling of legacy tables by a watermark column kept in the\n *
 * instance's {@link dev.ponte.spi.ConnectorStateStore}. Uses the hub through {@code dev.ponte.spi} only.
 */
package dev.ponte.connectors.legacyjdbc;
