/**
 * The connector SPI: what an integrator implements to connect a new system. Small and stable, in the style of Kafka
 * Connect: a {@link dev.ponte.spi.Connector} declares a {@link dev.ponte.spi.ConnectorDescriptor} (type, direction,
 * entities, typed configuration fields) and contributes Camel routes for each configured instance. Connectors are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.ponte.spi.Connector}).
 * <p>
 * Instances are configured under {@code ponte.connectors.<instance>.*} with {@code type=<connector type>}; the hub
 * validates every instance's configuration at start-up and reports every problem together
 * ({@link dev.ponte.spi.ConnectorConfigs}). Secrets are never printed.
 *
 * @since 0.1
 */
package dev.ponte.spi;
