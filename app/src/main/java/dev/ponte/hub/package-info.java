/**
 * The running hub: configuration, start-up and ordered stop, the hub's own routes and health.
 */
package dev.ponte.hub;
