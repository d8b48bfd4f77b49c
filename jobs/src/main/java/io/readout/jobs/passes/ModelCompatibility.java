package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.common.nets.EmbeddingBag;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.ImageShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Whether a model can be run on a prepared dataset, checked on the driver before any pass starts,
 * so a wrong {@code --run}/{@code --data} pair is one line naming both rather than a failed Spark
 * task. Checks: one input; a main (first) output that is a softmax output layer with one unit per
 * class of the data (a student's early readout is a second output); a first layer that takes the data's kind of
 * input (image channels, feature count, or token ids of the same length and vocabulary size); and,
 * because DL4J does not keep the declared input size in the configuration, a forward pass of one
 * zero example of the data's shape (catches a wrong image height or width).
 */
public final class ModelCompatibility {
    private ModelCompatibility() {
    }

    /**
     * @param modelName how the user named the model, e.g. its path
     * @param dataName  how the user named the data, e.g. {@code --data DIR}
     * @throws BadInputException when the model cannot run on the data
     */
    public static void require(ComputationGraph model, ExamplesTable table, String modelName, String dataName) {
        ComputationGraphConfiguration conf = model.getConfiguration();
        if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().isEmpty()) {
            throw bad(modelName, "has " + conf.getNetworkInputs().size() + " inputs and "
                    + conf.getNetworkOutputs().size() + " outputs; a prediction pass needs one input and an output");
        }
        Layer output = model.getOutputLayer(0).conf().getLayer();
        if (!(output instanceof BaseOutputLayer out)) {
            throw bad(modelName, "its output '" + conf.getNetworkOutputs().get(0) + "' is not an output layer");
        }
        if (out.getNOut() != table.numClasses()) {
            throw bad(modelName, "predicts " + out.getNOut() + " classes, but " + dataName + " has "
                    + table.numClasses());
        }
        if (!(out.getActivationFn() instanceof ActivationSoftmax)) {
            throw bad(modelName, "its output layer is " + out.getActivationFn()
                    + ", not softmax, so it gives no class probabilities");
        }
        String data = describe(table);
        String input = conf.getNetworkInputs().get(0);
        for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
            GraphVertex v = conf.getVertices().get(e.getKey());
            if (!e.getValue().contains(input) || !(v instanceof LayerVertex lv)) {
                continue;
            }
            Layer first = lv.getLayerConf().getLayer();
            if (first instanceof EmbeddingBag bag) {
                if (!table.isTokens() || bag.getNIn() != table.vocabSize() || bag.getLength() != table.numFeatures()) {
                    throw bad(modelName, "takes " + tokens(bag.getLength(), bag.getNIn()) + ", but " + dataName
                            + " holds " + data);
                }
            } else if (table.isTokens()) {
                throw bad(modelName, "takes " + (first instanceof ConvolutionLayer ? "images"
                        : first instanceof FeedForwardLayer f ? "vectors of " + f.getNIn() + " features" : "no token ids")
                        + ", but " + dataName + " holds " + data);
            } else if (first instanceof ConvolutionLayer c) {
                if (!table.isImage()) {
                    throw bad(modelName, "takes images, but " + dataName + " holds " + data);
                }
                if (c.getNIn() != table.shape().channels()) {
                    throw bad(modelName, "takes images with " + c.getNIn() + " channels, but " + dataName + " holds "
                            + data);
                }
            } else if (first instanceof FeedForwardLayer f && !table.isImage() && f.getNIn() != table.numFeatures()) {
                throw bad(modelName, "takes " + f.getNIn() + " features, but " + dataName + " holds " + data);
            }
        }
        INDArray zero = Nd4j.zeros(DataType.FLOAT, inputShape(table, 1));
        try {
            INDArray y = model.output(false, zero)[0];
            if (y.rank() != 2 || y.size(1) != table.numClasses()) {
                throw bad(modelName, "gives outputs of shape " + Arrays.toString(y.shape()) + " for "
                        + data + " from " + dataName);
            }
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("").strip();
            throw bad(modelName, "does not take " + data + " from " + dataName + " ("
                    + (why.length() > 200 ? why.substring(0, 200) + "…" : why) + ")");
        }
    }

    /**
     * The index of the output named {@code output} among the model's outputs.
     *
     * @throws BadInputException naming the model when it has no such output
     */
    public static int outputIndex(ComputationGraph model, String output, String modelName) {
        List<String> outputs = model.getConfiguration().getNetworkOutputs();
        int index = outputs.indexOf(output);
        if (index < 0) {
            throw bad(modelName, "has no output '" + output + "' (its outputs: " + String.join(", ", outputs) + ")");
        }
        return index;
    }

    /** The array shape of a batch of {@code n} examples, as {@code Minibatches.features} builds it. */
    static long[] inputShape(ExamplesTable table, int n) {
        if (table.isImage()) {
            ImageShape s = table.shape();
            return new long[] {n, s.channels(), s.height(), s.width()};
        }
        return new long[] {n, table.numFeatures()};
    }

    private static String describe(ExamplesTable table) {
        if (table.isTokens()) {
            return tokens(table.numFeatures(), table.vocabSize());
        }
        return table.isImage() ? table.shape() + " images (HxWxC)" : "vectors of " + table.numFeatures() + " features";
    }

    private static String tokens(long length, long vocabSize) {
        return "token ids (" + length + " per example, vocabulary of " + vocabSize + ")";
    }

    private static BadInputException bad(String modelName, String why) {
        return new BadInputException(modelName + ": the model " + why);
    }
}
