/**
 * The one JSON mapper of the hub and its connectors, with a nesting limit: the only way a connector parses JSON\n *
 * from a remote. Part of what connectors may use besides {@code dev.ponte.spi}.
 */
package dev.ponte.json;
