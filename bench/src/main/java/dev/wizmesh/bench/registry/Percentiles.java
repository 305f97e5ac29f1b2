package dev.wizmesh.bench.registry;

import java.util.Arrays;

/** p50/p99/max of a set of samples, in the unit they were recorded in. */
record Percentiles(int count, double p50, double p99, double max) {
    static Percentiles of(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(sorted.length, at(sorted, 0.50), at(sorted, 0.99), sorted[sorted.length - 1]);
    }

    private static double at(double[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    String ms() {
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", p50, p99, max, count);
    }
}
