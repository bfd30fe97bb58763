package dev.ponte.spi;

/**
 * Whether a connector brings records into the hub, takes commands out of it, or both.
 *
 * @since 0.1
 */
public enum Direction { SOURCE, SINK, BOTH }
