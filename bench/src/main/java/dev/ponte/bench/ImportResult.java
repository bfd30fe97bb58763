package dev.ponte.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ponte.json.Json;

/**
 * What one import probe measured, printed by the child process as one {@code RESULT {json}} line.
 *
 * @param rows         rows read from all files
 * @param seconds      from the first byte read to the last row done (for the hub: its last event published)
 * @param latencyP50Ms per appointment, from the start of reading its chunk to its event seen on ponte.events; -1
 *                     when not measured (baseline)
 * @param singleP50Ms  one changed row handed to the idle hub after the import → its event on ponte.events
 *                     (p50, p99, largest of {@link HubImportProbe#SINGLE_CHANGES}); -1 when not measured
 */
record ImportResult(String name, long rows, double seconds, double latencyP50Ms, double latencyP99Ms,
                    long peakHeapUsed, long peakHeapAfterGc, long maxHeap, long peakRss, double singleP50Ms,
                    double singleP99Ms, double singleMaxMs) {

    double rowsPerSecond() {
        return rows / seconds;
    }

    String toLine() {
        ObjectNode o = Json.MAPPER.valueToTree(this);
        return "RESULT " + o;
    }

    static ImportResult parse(String line) throws java.io.IOException {
        return Json.MAPPER.readValue(line.substring("RESULT ".length()), ImportResult.class);
    }
}
