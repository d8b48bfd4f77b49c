package io.readout.jobs.report;

import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient of a class's logit (the main output's score before the softmax) with respect to the output of
 * one vertex of a ComputationGraph, with that vertex's activations: what Grad-CAM ({@link GradCam}) needs of a
 * convolution layer, on the driver.
 *
 * <p>DL4J 1.0.0-M2.1's ComputationGraph has no call for the gradient at a vertex (its backward pass keeps only
 * the parameters' gradients), so this walks the graph's vertices backwards itself, on a copy of the model
 * without workspaces whose main output's loss is {@link ClassScore} (loss = −logit of the labelled class, so
 * dLoss/dlogits = −labels), from the main output down to the vertex asked for. Only the main output is
 * differentiated: an early readout or aux head adds nothing. The model given is left as it was.
 */
public final class ClassLogitGradient {
    private ClassLogitGradient() {
    }

    /** A vertex's activations and d logit / d activations, both shaped as the vertex's output. */
    public record AtVertex(INDArray activations, INDArray gradient) {
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
     * The activations of {@code vertex} (a layer or the network's input) and d logit[classes[i]] / d those
     * activations for each example i.
     *
     * @param classes one class per example (row of {@code features})
     */
    public static AtVertex at(ComputationGraph net, INDArray features, int[] classes, String vertex) {
        if (classes.length != features.size(0)) {
            throw new IllegalArgumentException(classes.length + " classes for " + features.size(0) + " examples");
        }
        if (net.getVertex(vertex) == null) {
            throw new IllegalArgumentException("the graph has no vertex " + vertex);
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
        INDArray activations = copy.feedForward(new INDArray[] {features}, false, false).get(vertex);
        if (activations == null) {
            activations = features; // the network's input
        }
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = copy.getVertices();
        int target = copy.getVertex(vertex).getVertexIndex();
        Map<Integer, INDArray> epsilons = new HashMap<>();
        int[] order = copy.topologicalSortOrder();
        // Every consumer of the target comes after it in topological order: its epsilon is complete on reaching it.
        for (int k = order.length - 1; k >= 0 && order[k] != target; k--) {
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
        INDArray epsilon = epsilons.get(target);
        if (epsilon == null) {
            throw new IllegalStateException("the main output " + main + " does not depend on " + vertex);
        }
        // The loss is -logit, so its gradient is minus the score's.
        return new AtVertex(activations, epsilon.neg().reshape(activations.shape()));
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
