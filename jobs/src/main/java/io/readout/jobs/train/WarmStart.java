package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code train --init MODEL}: a new run starts from a trained model's weights instead of random ones (the
 * warm start of scheduled retraining). The model must have the run's architecture: the same parameters,
 * by name and shape; its updater state is not used, the run's updater starts afresh.
 */
public final class WarmStart {
    private WarmStart() {
    }

    /** Copies the parameters of the model at {@code model} into {@code net}. */
    public static void apply(ComputationGraph net, String model, Configuration conf) {
        HadoopInputs inputs = new HadoopInputs(conf);
        inputs.require(model, "--init");
        ComputationGraph from;
        try (InputStream in = inputs.open(model, "--init")) {
            from = ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException("--init " + model + ": not a DL4J ComputationGraph model (" + e.getMessage()
                    + ")", e);
        }
        copy(from, net, "--init " + model);
    }

    /** {@code to}'s parameters become {@code from}'s; {@code what} names the source in the error. */
    static void copy(ComputationGraph from, ComputationGraph to, String what) {
        Map<String, INDArray> source = from.paramTable();
        Map<String, INDArray> target = to.paramTable();
        if (!source.keySet().equals(target.keySet())) {
            throw new BadInputException(what + ": a model of another architecture (parameters " + source.keySet()
                    + ", this run has " + target.keySet() + ")");
        }
        for (Map.Entry<String, INDArray> e : target.entrySet()) {
            long[] want = e.getValue().shape();
            long[] have = source.get(e.getKey()).shape();
            if (!Arrays.equals(want, have)) {
                throw new BadInputException(what + ": a model of another architecture (" + e.getKey() + " is "
                        + Arrays.toString(have) + ", this run needs " + Arrays.toString(want) + ")");
            }
        }
        to.setParams(from.params());
    }
}
