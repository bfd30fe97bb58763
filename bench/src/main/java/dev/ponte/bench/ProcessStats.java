package dev.ponte.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory of the current process while a probe runs: the largest heap in use (sampled every 20 ms), the largest live
 * heap after a collection (what the work really needs), and the peak resident set size (VmHWM, Linux).
 */
final class ProcessStats implements AutoCloseable {

    private final Thread sampler;
    private volatile boolean running = true;
    private volatile long peakHeapUsed;

    ProcessStats() {
        sampler = new Thread(() -> {
            while (running) {
                long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                if (used > peakHeapUsed) {
                    peakHeapUsed = used;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    long peakHeapUsed() {
        return peakHeapUsed;
    }

    /** The largest heap left after a collection, summed over heap pools (the live set, roughly). */
    static long peakHeapAfterGc() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                sum += pool.getCollectionUsage().getUsed();
            }
        }
        return sum;
    }

    static long maxHeap() {
        return Runtime.getRuntime().maxMemory();
    }

    /** Peak resident set size in bytes, or -1 where /proc is not there. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void close() {
        running = false;
        sampler.interrupt();
    }
}
