package io.readout.jobs.cli;

import io.readout.jobs.train.AveragingConfig;
import picocli.CommandLine.Option;

/**
 * How dl4j-spark's parameter averaging runs: the flags {@code train}, {@code bench training} and
 * {@code bench throughput} share.
 */
public final class AveragingOptions {
    @Option(names = "--averaging-frequency", paramLabel = "K", defaultValue = "" + AveragingConfig.DEFAULT_AVERAGING_FREQUENCY,
            description = "Minibatches per worker between averaging rounds (default: ${DEFAULT-VALUE}).")
    public int averagingFrequency;

    @Option(names = "--approach", paramLabel = "A", defaultValue = AveragingConfig.DEFAULT_APPROACH,
            description = "How data reaches the workers: export or direct (default: ${DEFAULT-VALUE}).")
    public String approach;

    @Option(names = "--prefetch", paramLabel = "N", defaultValue = "" + AveragingConfig.DEFAULT_PREFETCH_BATCHES,
            description = "Minibatches each worker prefetches (default: ${DEFAULT-VALUE}).")
    public int prefetch;
}
