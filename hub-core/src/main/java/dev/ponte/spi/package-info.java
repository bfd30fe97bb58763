/**
 * The connector SPI: what an integrator implements to connect a new system. Small and stable, in the style of Kafka
 * Connect: a {@link dev.ponte.spi.Connector} declares a {@link dev.ponte.spi.ConnectorDescriptor} (type, direction,
 * entities, typed configuration fields) and contributes Camel routes for each configured instance. Connectors are
 * found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.ponte.spi.Connector}).
 * <p>
 * Instances are configured under {@code ponte.connectors.<instance>.*} with {@code type=<connector type>}; the hub
 * validates every instance's configuration at start-up and reports every problem together
 * ({@link dev.ponte.spi.ConnectorConfigs}). Secrets are never printed.
 * <p>
 * The SPI is closed: a connector compiles against this package alone (plus {@code dev.ponte.json},
 * {@code dev.ponte.xml} and libraries). Everything it needs of the hub comes through the
 * {@link dev.ponte.spi.ConnectorContext}: {@link dev.ponte.spi.InboundSender}, {@link
 * dev.ponte.spi.ConnectorStateStore},
 * {@link dev.ponte.spi.ImportTracker}, {@link dev.ponte.spi.AuditTrail}, {@link dev.ponte.spi.Mappings},
 * {@link dev.ponte.spi.SandboxRecorder}, {@link dev.ponte.spi.Webhooks}, {@link dev.ponte.spi.MessageEvents} (a
 * patient-facing channel's statuses and replies) and a {@link java.time.Clock}; a channel sink reads each command as an
 * {@link dev.ponte.spi.OutboundMessage}. The connector kit's {@code SpiBoundary} rule,
 * run by every connector module's tests, fails the build otherwise.
 *
 * @since 0.1
 */
package dev.ponte.spi;
