/**
 * The message broker: the embedded Artemis, the client connection, queue names and CloudEvents marking.\n *
 * Hub-internal: connectors never see it.
 */
package dev.ponte.broker;
