/**
 * The {@code legacy-csv} connector: an inbox of legacy export files, and the one-shot file import\n * ({@link
 * dev.ponte.spi.FileImport}). Uses the hub through {@code dev.ponte.spi} only.
 */
package dev.ponte.connectors.legacycsv;
