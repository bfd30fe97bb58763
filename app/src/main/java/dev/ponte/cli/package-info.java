/**
 * The {@code bin/ponte} command line (picocli): run, import, status, dead letters, sandbox, demo.
 */
package dev.ponte.cli;
