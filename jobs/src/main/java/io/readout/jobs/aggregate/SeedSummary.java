package io.readout.jobs.aggregate;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * One figure over seeds: mean, sample standard deviation (n − 1 in the denominator; null when n = 1), min,
 * max and the number of seeds n. The values are summed in the order given (the seeds' order), so the same
 * seeds give the same bits on every run. No Spark: {@link AggregateJob} applies it to the groups Spark SQL
 * forms.
 */
public record SeedSummary(double mean, Double std, double min, double max, long n) {

    /** The summary of {@code values} (at least one), summed in their order; the std by the two-pass formula. */
    public static SeedSummary of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to summarise");
        }
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double mean = sum / values.length;
        Double std = null;
        if (values.length > 1) {
            double squares = 0;
            for (double v : values) {
                squares += (v - mean) * (v - mean);
            }
            std = Math.sqrt(squares / (values.length - 1));
        }
        return new SeedSummary(mean, std, min, max, values.length);
    }

    /**
     * The paired differences run − baseline, one per seed that both have (in the run's seed order),
     * summarised; null when they have no seed in common.
     */
    public static SeedSummary paired(long[] runSeeds, double[] run, long[] baselineSeeds, double[] baseline) {
        Map<Long, Double> base = new HashMap<>();
        for (int i = 0; i < baselineSeeds.length; i++) {
            base.put(baselineSeeds[i], baseline[i]);
        }
        double[] differences = new double[runSeeds.length];
        int n = 0;
        for (int i = 0; i < runSeeds.length; i++) {
            Double b = base.get(runSeeds[i]);
            if (b != null) {
                differences[n++] = run[i] - b;
            }
        }
        return n == 0 ? null : of(Arrays.copyOf(differences, n));
    }
}
