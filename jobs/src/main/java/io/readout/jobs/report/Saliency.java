package io.readout.jobs.report;

import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Vanilla gradient saliency (Simonyan et al., 2014) of a run's model, on the driver: the gradient of
 * the predicted class's score (the main output's logit, before the softmax) with respect to the input,
 * then its absolute value, the maximum over channels, and division by the map's maximum, so each map
 * lies in [0, 1] with its strongest pixel at 1.
 *
 * <p>DL4J 1.0.0-M2.1's ComputationGraph has no input-gradient call (its backward pass drops the input's
 * epsilon), so this walks the graph's vertices backwards itself, on a copy of the model without
 * workspaces whose main output's loss is {@link ClassScore} (loss = −logit of the labelled class, so
 * dLoss/dlogits = −labels). Only the main output is differentiated: an early readout or aux head adds
 * nothing. The model given is left as it was.
 */
public final class Saliency {
    private Saliency() {
    }

    /** Per example: the predicted class and the normalised map ({@code height·width}, row-major). */
    public record Maps(int[] predicted, float[][] maps, int height, int width) {
    }

    /** The main output: {@value Networks#OUTPUT} when the graph has it, else its first output. */
    static String mainOutput(ComputationGraph net) {
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        return outputs.contains(Networks.OUTPUT) ? Networks.OUTPUT : outputs.get(0);
    }

    /** Argmax of the main output per example. */
    public static int[] predict(ComputationGraph net, INDArray features) {
        int index = net.getConfiguration().getNetworkOutputs().indexOf(mainOutput(net));
        INDArray probs = net.output(false, features)[index];
        int[] out = new int[(int) probs.size(0)];
        INDArray arg = probs.argMax(1);
        for (int i = 0; i < out.length; i++) {
            out[i] = arg.getInt(i);
        }
        return out;
    }

    /**
     * d logit[classes[i]] / d input for each example i, shaped like {@code features}.
     *
     * @param classes one class per example (row of {@code features})
     */
    public static INDArray inputGradient(ComputationGraph net, INDArray features, int[] classes) {
        if (classes.length != features.size(0)) {
            throw new IllegalArgumentException(classes.length + " classes for " + features.size(0) + " examples");
        }
        ComputationGraph copy = net.clone();
        ComputationGraphConfiguration conf = copy.getConfiguration();
        conf.setTrainingWorkspaceMode(WorkspaceMode.NONE);
        conf.setInferenceWorkspaceMode(WorkspaceMode.NONE);
        String main = mainOutput(copy);
        BaseOutputLayer mainConf = (BaseOutputLayer) copy.getLayer(main).conf().getLayer();
        mainConf.setLossFn(new ClassScore());
        INDArray labels = Nd4j.zeros(features.dataType(), features.size(0), mainConf.getNOut());
        for (int i = 0; i < classes.length; i++) {
            labels.putScalar(i, classes[i], 1.0);
        }
        // Inference forward pass that leaves every vertex holding its input, then backwards from the main
        // output only: other outputs get no epsilon, so their branches add nothing.
        copy.initGradientsView();
        copy.feedForward(new INDArray[] {features}, false, false);
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = copy.getVertices();
        Map<Integer, INDArray> epsilons = new HashMap<>();
        int[] order = copy.topologicalSortOrder();
        for (int k = order.length - 1; k >= 0; k--) {
            GraphVertex v = vertices[order[k]];
            if (v.isInputVertex()) {
                continue;
            }
            if (v.getVertexName().equals(main)) {
                ((IOutputLayer) v.getLayer()).setLabels(labels);
            } else {
                INDArray e = epsilons.get(v.getVertexIndex());
                if (e == null) {
                    continue;
                }
                v.setEpsilon(e);
            }
            INDArray[] toInputs = v.doBackward(false, noWorkspaces).getSecond();
            VertexIndices[] inputs = v.getInputVertices();
            for (int j = 0; j < inputs.length; j++) {
                epsilons.merge(inputs[j].getVertexIndex(), toInputs[j].dup(), INDArray::addi);
            }
        }
        INDArray epsilon = epsilons.get(copy.getVertex(conf.getNetworkInputs().get(0)).getVertexIndex());
        if (epsilon == null) {
            throw new IllegalStateException("the main output " + main + " does not depend on the input");
        }
        // The loss is -logit, so its gradient is minus the score's.
        return epsilon.neg().reshape(features.shape());
    }

    /** Gradient maps of the predicted classes of image features {@code [n, channels, height, width]}. */
    public static Maps compute(ComputationGraph net, INDArray features) {
        if (features.rank() != 4) {
            throw new IllegalArgumentException("saliency maps need image features [n, c, h, w], got "
                    + Arrays.toString(features.shape()));
        }
        int[] predicted = predict(net, features);
        INDArray gradient = inputGradient(net, features, predicted);
        return new Maps(predicted, normalise(gradient), (int) features.size(2), (int) features.size(3));
    }

    /** |g|, maximum over channels, divided by the map's maximum (an all-zero map stays zero). */
    static float[][] normalise(INDArray gradient) {
        int n = (int) gradient.size(0);
        int c = (int) gradient.size(1);
        int h = (int) gradient.size(2);
        int w = (int) gradient.size(3);
        float[] g = gradient.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[][] maps = new float[n][h * w];
        for (int i = 0; i < n; i++) {
            float max = 0f;
            for (int p = 0; p < h * w; p++) {
                float m = 0f;
                for (int k = 0; k < c; k++) {
                    m = Math.max(m, Math.abs(g[((i * c) + k) * h * w + p]));
                }
                maps[i][p] = m;
                max = Math.max(max, m);
            }
            if (max > 0f) {
                for (int p = 0; p < h * w; p++) {
                    maps[i][p] /= max;
                }
            }
        }
        return maps;
    }

    /**
     * The score of the labelled class: loss = −Σ labels·preOutput, so dLoss/dpreOutput = −labels whatever the
     * output's activation (the softmax is skipped: the logit's gradient, not the probability's).
     */
    static final class ClassScore implements ILossFunction {
        private static final long serialVersionUID = 1L;

        @Override
        public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                   boolean average) {
            double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
            return average ? sum / preOutput.size(0) : sum;
        }

        @Override
        public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return labels.castTo(preOutput.dataType()).mul(preOutput).sum(true, 1).negi();
        }

        @Override
        public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
            return labels.castTo(preOutput.dataType()).neg();
        }

        @Override
        public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput,
                                                              IActivation activationFn, INDArray mask,
                                                              boolean average) {
            return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                    computeGradient(labels, preOutput, activationFn, mask));
        }

        @Override
        public String name() {
            return "ClassScore";
        }
    }
}
