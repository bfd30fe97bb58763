/**
 * Benchmark harnesses (not shipped): end-to-end import throughput and latency probes against a real hub.
 */
package dev.ponte.bench;
