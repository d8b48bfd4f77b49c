package io.readout.common.sifer;

import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * SIFER's forgetting step (Tiwari &amp; Shenoy, "Overcoming Simplicity Bias in Deep Networks using a
 * Feature Sieve", ICML 2023): on a minibatch, one plain SGD step at {@code forgetLr} on the
 * cross-entropy between the aux head's softmax and the uniform distribution,
 * {@code -(1/C)·Σ_k log softmax_k(aux(early(x)))}, that updates only the early layers (every layer
 * the aux head reads through); the aux head and the layers above it stay as they are.
 *
 * <p>Input: a network of {@link Networks} with a readout head ({@code NetworkConfig.withReadout}),
 * which is SIFER's aux head behind its stop-gradient. The step runs on a separate "forget graph"
 * made from the same layer configurations: input → the early layers → the aux head, without the
 * stop-gradient, so the loss reaches the early layers; their updater is {@code Sgd(forgetLr)}, the
 * head's {@code Sgd(0)} (DL4J's NoOp applies the raw gradient), and no layer has weight decay (the
 * official code's forget optimiser is {@code SGD(lr, momentum 0)} without it). Output layer: the
 * head's own softmax + MCXENT, whose loss with soft labels {@code 1/C} is exactly the uniform
 * cross-entropy above and whose gradient with respect to the logits is {@code softmax(z) - 1/C}.
 * {@link #apply} copies the network's early-layer and head parameters in, fits one step and copies
 * the early layers back; the network's updater state and iteration count are not touched.
 *
 * <p>Not thread-safe: one instance per thread (it owns the forget graph's activations).
 */
public final class ForgettingStep {
    private final ComputationGraph graph;
    private final List<String> early;
    private final List<String> head;
    private final int classes;

    private ForgettingStep(ComputationGraph graph, List<String> early, List<String> head, int classes) {
        this.graph = graph;
        this.early = early;
        this.head = head;
        this.classes = classes;
    }

    /** The forgetting step of networks with configuration {@code net}, at learning rate {@code forgetLr}. */
    public static ForgettingStep of(ComputationGraphConfiguration net, double forgetLr) {
        ComputationGraphConfiguration conf = configuration(net, forgetLr);
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        NativeKernels.engage(graph);
        List<String> early = new ArrayList<>();
        List<String> head = new ArrayList<>();
        for (String name : withParams(conf)) {
            (Networks.inReadoutHead(name) ? head : early).add(name);
        }
        long classes = graph.getLayer(Networks.READOUT).getParam("b").length();
        return new ForgettingStep(graph, List.copyOf(early), List.copyOf(head), Math.toIntExact(classes));
    }

    /**
     * The forget graph's configuration: {@code net}'s vertices from its input up to the block the aux head
     * reads, and the head's vertices, which read that block directly; output {@link Networks#READOUT}.
     */
    public static ComputationGraphConfiguration configuration(ComputationGraphConfiguration net, double forgetLr) {
        if (!(forgetLr > 0) || Double.isInfinite(forgetLr)) {
            throw new IllegalArgumentException("the forgetting learning rate must be a positive number: " + forgetLr);
        }
        List<String> stopInputs = net.getVertexInputs().get(Networks.READOUT_STOP);
        if (stopInputs == null || !net.getNetworkOutputs().contains(Networks.READOUT)) {
            throw new IllegalArgumentException("the network has no aux head (no " + Networks.READOUT_STOP + " → "
                    + Networks.READOUT + "): build it with NetworkConfig.withReadout");
        }
        String auxAt = stopInputs.get(0);
        ComputationGraphConfiguration conf = net.clone();
        Set<String> keep = new LinkedHashSet<>(below(conf, auxAt));
        for (String v : conf.getVertices().keySet()) {
            if (Networks.inReadoutHead(v) && !v.equals(Networks.READOUT_STOP)) {
                keep.add(v);
            }
        }
        conf.getVertices().keySet().retainAll(keep);
        conf.getVertexInputs().keySet().retainAll(keep);
        conf.getVertexInputs().replaceAll((v, inputs) -> inputs.stream()
                .map(in -> in.equals(Networks.READOUT_STOP) ? auxAt : in).collect(Collectors.toCollection(ArrayList::new)));
        conf.setNetworkOutputs(new ArrayList<>(List.of(Networks.READOUT)));
        // The clone carries the full graph's cached topological order; the forget graph computes its own.
        conf.setTopologicalOrder(null);
        conf.setTopologicalOrderStr(null);
        for (Map.Entry<String, GraphVertex> v : conf.getVertices().entrySet()) {
            if (v.getValue() instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof BaseLayer layer) {
                layer.setIUpdater(new Sgd(Networks.inReadoutHead(v.getKey()) ? 0 : forgetLr));
                layer.setBiasUpdater(null);
                layer.setRegularization(new ArrayList<>());
                layer.setRegularizationBias(new ArrayList<>());
            }
        }
        conf.setIterationCount(0);
        conf.setEpochCount(0);
        return conf;
    }

    /** {@code block} and every vertex it reads from, directly or not; the network inputs excluded. */
    private static Set<String> below(ComputationGraphConfiguration conf, String block) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(block));
        while (!todo.isEmpty()) {
            String v = todo.pop();
            if (!conf.getNetworkInputs().contains(v) && seen.add(v)) {
                todo.addAll(conf.getVertexInputs().getOrDefault(v, List.of()));
            }
        }
        return seen;
    }

    private static List<String> withParams(ComputationGraphConfiguration conf) {
        List<String> names = new ArrayList<>();
        conf.getVertices().forEach((name, v) -> {
            if (v.numParams(true) > 0) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * One forgetting step of {@code net} on {@code features}: its early layers take one SGD step on the
     * uniform cross-entropy of its aux head; nothing else of it changes. Returns that loss before the step.
     */
    public double apply(ComputationGraph net, INDArray features) {
        copy(net, graph, early);
        copy(net, graph, head);
        graph.fit(new MultiDataSet(new INDArray[] {features},
                new INDArray[] {uniformTargets(features.size(0), classes)}));
        double loss = graph.score();
        copy(graph, net, early);
        return loss;
    }

    /** The layers a step updates: those below the aux head that have parameters, from the input up. */
    public List<String> earlyLayers() {
        return early;
    }

    /** The aux head's layers with parameters (read, never written). */
    public List<String> headLayers() {
        return head;
    }

    /** The forget graph (tests). */
    ComputationGraph graph() {
        return graph;
    }

    /** Labels of the uniform distribution over {@code classes}: {@code n} rows of {@code 1/C}. */
    public static INDArray uniformTargets(long n, int classes) {
        return Nd4j.valueArrayOf(new long[] {n, classes}, 1.0f / classes);
    }

    /** Assigns every parameter of the named layers of {@code from} to the same of {@code to} (views: in place). */
    private static void copy(ComputationGraph from, ComputationGraph to, List<String> layers) {
        for (String name : layers) {
            Layer target = to.getLayer(name);
            for (Map.Entry<String, INDArray> p : from.getLayer(name).paramTable().entrySet()) {
                target.getParam(p.getKey()).assign(p.getValue());
            }
        }
    }
}
