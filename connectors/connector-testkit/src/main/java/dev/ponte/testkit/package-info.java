/**
 * The connector test kit: extend {@link dev.ponte.testkit.ConnectorAcceptanceTest} in your connector module (test
 * scope) and implement its hooks; the kit runs your connector in a {@link dev.ponte.testkit.KitHub} (real embedded
 * Artemis broker, real H2 store, real Camel context, the hub's own inbound and sink routes) and checks the contracts
 * every connector must keep. See the README, "Writing a connector".
 */
package dev.ponte.testkit;
