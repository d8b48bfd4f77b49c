package io.readout.jobs.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.readout.common.Json;
import io.readout.common.metrics.SplitMetrics;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.run.EpochRecord;

import java.util.List;
import java.util.Map;

/**
 * {@code summary.json} of a report: per run its label, method, arch, folder, val and test metrics (null when not
 * evaluated), the figures of the methods table, the selected epoch with its val figures and the final epoch's
 * figures; and per column of the methods table the best run (null when no run has a value).
 *
 * @param best column key → the best run, in the order of {@link ReportModel#COLUMNS}
 */
public record ReportSummary(String root, String generated, List<RunSummary> runs, Map<String, Best> best) {

    /** One run; {@code val} and {@code test} are its metrics files' contract ({@link SplitMetrics#toJson()}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"label", "method", "arch", "dir", "relative", "data", "val", "test", "figures", "select",
            "best_epoch", "best_epoch_figures", "final_epoch"})
    public record RunSummary(String label, String method, String arch, String dir, String relative, String data,
                             JsonNode val, JsonNode test, Map<String, Double> figures, String select,
                             Integer bestEpoch, EpochFigures bestEpochFigures, EpochFigures finalEpoch) {
    }

    /** An epoch of history.json: its number and its loss and val figures, as the file holds them (null when absent). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"epoch", "loss", "val_accuracy", "val_wga", "val_group_mean"})
    public record EpochFigures(int epoch, JsonNode loss, JsonNode valAccuracy, JsonNode valWga,
                               JsonNode valGroupMean) {
        static EpochFigures of(ReportModel.Epoch e) {
            return e == null ? null : new EpochFigures(e.epoch(), e.figures().get("loss"),
                    e.figures().get(EpochRecord.VAL_ACCURACY), e.figures().get(EpochRecord.VAL_WGA),
                    e.figures().get(EpochRecord.VAL_GROUP_MEAN));
        }
    }

    /** The best run of a column; {@code tied_with} only on a tie. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"label", "dir", "value", "tied_with"})
    public record Best(String label, String dir, double value,
                       @JsonInclude(JsonInclude.Include.NON_NULL) List<String> tiedWith) {
    }

    /** {@code summary.json} of a root with a seed list: the figures over the seeds, then the runs of the seed shown. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"root", "generated", "seeds", "methods", "paired", "best", "shown_seed", "shown_seed_runs"})
    public record OverSeeds(String root, String generated, List<Long> seeds, List<AggregateFiles.Method> methods,
                            List<AggregateFiles.Paired> paired, Map<String, BestOverSeeds> best, long shownSeed,
                            List<RunSummary> shownSeedRuns) {
    }

    /** The run with the highest mean of a column over the seeds (final model); {@code tied_with} only on a tie. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"label", "mean", "tied_with"})
    public record BestOverSeeds(String label, double mean,
                                @JsonInclude(JsonInclude.Include.NON_NULL) List<String> tiedWith) {
    }

    static JsonNode metrics(SplitMetrics m) {
        return m == null ? null : Json.mapper().valueToTree(m.toJson());
    }
}
