package dev.wizmesh.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * CPU seconds (user + system) used by a set of processes, from /proc/&lt;pid&gt;/stat; read before
 * and after a run to tell how much CPU each request cost each process. Linux only; 0 elsewhere.
 */
public final class CpuTime {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private CpuTime() {
    }

    public static double seconds(Supplier<List<ProcessHandle>> processes) {
        double total = 0;
        for (ProcessHandle p : processes.get()) {
            total += seconds(p.pid());
        }
        return total;
    }

    public static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Resident set size and its peak, in bytes, from /proc/&lt;pid&gt;/status. */
    public static long[] rssAndPeak(long pid) {
        long rss = 0;
        long peak = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    rss = kb(line) * 1024;
                } else if (line.startsWith("VmHWM:")) {
                    peak = kb(line) * 1024;
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return new long[] {rss, peak};
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
