/**
 * The hub's flows: Camel routes that each consume the canonical events of {@code ponte.events} through a durable
 * subscription of their own (a multicast queue {@code ponte.flow.<name>} bound to the address), with their error
 * handling declared once in {@link dev.ponte.flows.FlowsRouteConfiguration}. The first one,
 * {@link dev.ponte.flows.SinkCommandsFlow}, turns record changes into commands for the sink instances.
 */
package dev.ponte.flows;
