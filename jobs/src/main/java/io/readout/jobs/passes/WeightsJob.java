package io.readout.jobs.passes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.nets.Networks;
import io.readout.datasets.Split;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.run.TrainingHistory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * {@code readout weights}: DEDIER's weights pass ({@link ReadoutWeightsPass}) over the training split
 * for a saved student, the same pass training runs before every refresh. Stages: open the student's
 * run, its model and the data and check they fit, and that the model has an early readout → the pass
 * → {@code weights/} and {@code summary.json} committed by rename with {@code _SUCCESS}. The table's
 * {@code epoch} is the one the weights would weigh next: the epochs behind the model (from the run's
 * {@code history.json}: all of them for model.zip, the best epoch for best.zip) plus one; 0 when the
 * run has no history.
 */
public final class WeightsJob {
    private static final Logger LOG = LoggerFactory.getLogger(WeightsJob.class);

    private WeightsJob() {
    }

    public static ReadoutWeightsPass.Result run(SparkSession spark, WeightsConfig config) {
        config.validate();
        LOG.info("weights: {}", JsonFiles.compact(config));
        PassInputs.Opened in = PassInputs.open(spark, "--student", config.student(), config.model(), config.data(),
                List.of(Split.TRAIN));
        ModelCompatibility.outputIndex(in.model(), Networks.READOUT, "--student " + in.modelPath());
        int epoch = nextEpoch(in.run(), PassInputs.modelFile(config.model()));
        return ReadoutWeightsPass.write(spark, in.model(), in.table(), in.examples(), config.weights(), epoch,
                config.batch(), config.out(), config.overwrite(), "--out");
    }

    /** The epoch after the model's last one, from the run's history; 0 without one. */
    private static int nextEpoch(RunDir run, String modelFile) {
        if (!run.exists(RunDir.HISTORY)) {
            return 0;
        }
        ObjectNode history = JsonFiles.readObject(run.readText(RunDir.HISTORY), run.path(RunDir.HISTORY));
        if (RunDir.BEST.equals(modelFile)) {
            JsonNode best = history.get(TrainingHistory.BEST_EPOCH);
            return best != null && best.isNumber() ? best.intValue() + 1 : 0;
        }
        JsonNode epochs = history.get("epochs");
        return epochs != null && epochs.isArray() ? epochs.size() + 1 : 0;
    }
}
