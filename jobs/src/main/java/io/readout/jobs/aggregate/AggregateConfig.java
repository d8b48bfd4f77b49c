package io.readout.jobs.aggregate;

import io.readout.common.BadInputException;
import io.readout.jobs.run.PipelineRoot;

import java.util.List;

/**
 * {@code readout aggregate}: the pipeline root (its {@code pipeline.json} gives the runs) and the seeds
 * whose {@code ROOT/seed=S/} folders are aggregated; null seeds: those of {@code pipeline.json}.
 */
public record AggregateConfig(String root, List<Long> seeds) {

    /** Checks every field; returns this. */
    public AggregateConfig validate() {
        if (root == null || root.isBlank()) {
            throw new BadInputException("ROOT: give the pipeline root folder");
        }
        if (seeds != null) {
            PipelineRoot.checkSeeds(seeds, "--seeds");
        }
        return this;
    }
}
