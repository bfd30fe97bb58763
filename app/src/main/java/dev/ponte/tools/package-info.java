/**
 * Small developer tools shipped with the hub.
 */
package dev.ponte.tools;
