package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.common.BarsProblem;
import io.readout.common.Json;
import io.readout.common.RelativeTolerance;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.common.nets.ReadoutHead;
import io.readout.common.sifer.ForgettingStep;
import io.readout.jobs.spark.ExactSum;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.readout.common.RelativeTolerance.assertClose;
import static io.readout.common.nets.LayerParams.name;
import static io.readout.common.nets.LayerParams.snapshot;
import static io.readout.common.nets.LayerParams.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIFER's training step without Spark, on the network and minibatches {@link Sifer} makes: the
 * identification step leaves the main network alone, the joint fit is identify-then-learn, and the hook
 * forgets before steps 0, k, 2k, … and only then.
 */
class SiferTrainingTest {
    /** The student CNN on the bars problem's 1x8x8 images, Adam 1e-3. */
    private static final NetworkConfig ERM = NetworkConfig.image(Architecture.STUDENT, 1, BarsProblem.SIDE,
            BarsProblem.SIDE, BarsProblem.CLASSES, "adam", 1e-3, 0, 11);

    private static TrainConfig config(SiferOptions sifer) {
        return new TrainConfig(TrainConfig.SIFER, Architecture.STUDENT, "data", "out", 2, 32, "adam", 1e-3, 0, "relu",
                2, 2, "direct", 0, 11, "val_accuracy", 64, null, null, sifer).validate();
    }

    /** The network a sifer run with {@code options} trains (no Spark is touched to make it). */
    private static ComputationGraph network(SiferOptions options) {
        return network(options, ERM);
    }

    private static ComputationGraph network(SiferOptions options, NetworkConfig erm) {
        return Networks.build(new Sifer(null, config(options), null).network(erm));
    }

    /** SIFER's joint minibatch with one of its two losses masked out (per example), as the other's alone. */
    private static MultiDataSet only(DataSet d, int output) {
        MultiDataSet joint = Sifer.jointBatch(d);
        INDArray[] masks = new INDArray[2];
        masks[1 - output] = Nd4j.zeros(DataType.FLOAT, d.numExamples(), 1);
        joint.setLabelsMaskArray(masks);
        return joint;
    }

    @Test
    void theNetworkCarriesTheAuxHeadOfTheOptions() {
        ComputationGraph net = network(SiferOptions.defaults());
        assertEquals(List.of(Networks.OUTPUT, Networks.READOUT), net.getConfiguration().getNetworkOutputs());
        assertEquals(List.of(Networks.BLOCK1), net.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(List.of(Networks.READOUT_STOP), net.getConfiguration().getVertexInputs().get(Networks.READOUT));
        for (Layer layer : net.getLayers()) {
            if (layer.numParams() > 0) {
                Object expected = Networks.inReadoutHead(name(layer)) ? new Nesterovs(1e-2, 0.9) : new Adam(1e-3);
                assertEquals(expected, ((BaseLayer) layer.conf().getLayer()).getIUpdater(), name(layer));
            }
        }
        ComputationGraph deep = network(new SiferOptions(Networks.BLOCK2, 2, 4, 3e-2, 5, 1e-2));
        assertEquals(List.of(Networks.BLOCK2), deep.getConfiguration().getVertexInputs().get(Networks.READOUT_STOP));
        assertEquals(9 * 4 * 4 + 4, deep.getLayer(Networks.READOUT_BLOCK + 2).numParams());
        assertEquals(new Nesterovs(3e-2, 0.9),
                ((BaseLayer) deep.getLayer(Networks.READOUT).conf().getLayer()).getIUpdater());
    }

    /** The proof for step 1: with the main loss masked out, SIFER's step moves the aux head and nothing else. */
    @Test
    void anIdentificationStepLeavesTheMainNetworkUnchanged() {
        for (SiferOptions o : List.of(SiferOptions.defaults(), new SiferOptions(Networks.BLOCK2, 1, 4, 1e-2, 5, 1e-2))) {
            ComputationGraph net = network(o);
            Map<String, float[]> main = snapshot(net, false);
            Map<String, float[]> head = snapshot(net, true);

            net.fit(only(BarsProblem.examples(32, 1), 1));

            assertTrue(net.score() > 0, "the aux head's loss was computed");
            // Exactly, on any CPU: the masked loss gives the main network a zero gradient, hence a zero step.
            main.forEach((layer, before) -> assertArrayEquals(before, values(net.getLayer(layer).params()), 0f,
                    o + ": " + layer));
            head.forEach((layer, before) -> assertFalse(Arrays.equals(before, values(net.getLayer(layer).params())),
                    o + ": " + layer + " learned"));
        }
    }

    /**
     * Steps 1 and 3 as one fit on labels [y, y] end where identify, then learn, end: the head as after the
     * identification step, the main network as after the learning step (whose zero head gradient would still
     * move the head by its momentum, so the head is read before it).
     *
     * <p>The main network learns by plain SGD here, so each step is linear in the gradient and the two fits
     * can only differ by rounding. Under Adam, whose first step is lr·g/(|g| + 1e-8), a rounding-size
     * difference in a gradient near zero becomes a step of up to ±lr: on an AVX-512 Xeon, where the two fits
     * ran on oneDNN and on DL4J's built-in kernels (clone() drops the helpers), conv2 differed by 4.7e-6.
     */
    @Test
    void theJointFitIsIdentifyThenLearn() {
        NetworkConfig sgd = NetworkConfig.image(Architecture.STUDENT, 1, BarsProblem.SIDE, BarsProblem.SIDE,
                BarsProblem.CLASSES, "sgd", 1e-3, 0, 11);
        DataSet d = BarsProblem.examples(32, 2);
        ComputationGraph joint = network(SiferOptions.defaults(), sgd);
        // clone() drops the oneDNN helpers: without engage the two fits would run on different kernels.
        ComputationGraph sequential = NativeKernels.engage(joint.clone());
        joint.fit(Sifer.jointBatch(d));

        sequential.fit(only(d, 1));
        Map<String, float[]> identified = snapshot(sequential, true);
        sequential.fit(only(d, 0));

        // Same kernels on the same data: 0 difference observed (oneDNN AVX2 and SSE4.1). Were a CPU to pick other
        // kernels for one fit, a step would change by N·eps of itself, N the products in its layer's gradient sums:
        // conv1's 2048, whose steps stay below 1.7e-4 of its largest weight, give a third of an ulp, the other
        // layers less; and each fit rounds p - step once: 4 ulps cover both, twice over.
        double rtol = 4 * RelativeTolerance.FLOAT_EPSILON;
        assertEquals(identified.keySet(), snapshot(joint, true).keySet());
        identified.forEach((layer, p) -> assertClose(p, values(joint.getLayer(layer).params()), rtol, layer));
        Map<String, float[]> learned = snapshot(sequential, false);
        assertEquals(4, learned.size());
        learned.forEach((layer, p) -> assertClose(p, values(joint.getLayer(layer).params()), rtol, layer));
    }

    @Test
    void theHookForgetsBeforeStepsZeroKTwoK() {
        ComputationGraph net = network(SiferOptions.defaults());
        LongAccumulator steps = new LongAccumulator();
        ExactSum losses = new ExactSum();
        ForgettingHook hook = new ForgettingHook(net.getConfiguration(), 3, 1e-2, steps, losses);
        MultiDataSet batch = Sifer.jointBatch(BarsProblem.examples(16, 3));
        List<String> early = ForgettingStep.of(net.getConfiguration(), 1e-2).earlyLayers();
        assertEquals(List.of(Networks.CONV1), early);
        for (int step = 0; step <= 7; step++) {
            net.getConfiguration().setIterationCount(step);
            float[] before = values(net.params());
            float[] conv1 = values(net.getLayer(Networks.CONV1).params());
            hook.preUpdate(batch, net);
            hook.postUpdate(batch, net);
            boolean changed = !Arrays.equals(conv1, values(net.getLayer(Networks.CONV1).params()));
            assertEquals(step % 3 == 0, changed, "step " + step);
            if (!changed) {
                assertArrayEquals(before, values(net.params()), 0f, "step " + step);
            }
        }
        assertEquals(3, steps.value(), "steps 0, 3 and 6");
        assertTrue(losses.value() / 3 >= Math.log(2) - 1e-6, "CE to uniform is at least ln 2: " + losses.value() / 3);
        assertThrows(IllegalArgumentException.class,
                () -> new ForgettingHook(net.getConfiguration(), 0, 1e-2, steps, losses));
    }

    @Test
    void theForgettingRateOfEachWorkerIsScaledByTheWorkersUnderWorkerBatchesUnlessToldNot() {
        SiferOptions scaled = SiferOptions.defaults();
        assertEquals(0.01, scaled.forgetLrOn(1, BatchScope.WORKER), 1e-15);
        assertEquals(0.02, scaled.forgetLrOn(2, BatchScope.WORKER), 1e-15);
        assertEquals(0.08, scaled.forgetLrOn(8, BatchScope.WORKER), 1e-15);
        assertEquals(0.01, scaled.forgetLrOn(0, BatchScope.WORKER), 1e-15);
        SiferOptions plain = new SiferOptions(Networks.BLOCK1, 0, 32, 1e-2, 5, 1e-2, SiferOptions.SCALE_NONE);
        assertEquals(0.01, plain.forgetLrOn(8, BatchScope.WORKER), 1e-15);
        // A global batch gives every worker a single process's steps, and as many forgetting steps.
        assertEquals(0.01, scaled.forgetLrOn(8, BatchScope.GLOBAL), 1e-15);
    }

    @Test
    void optionsAreCheckedAndKeptInConfigJson() {
        assertEquals("--forget-every -1 must be 0 (never) or more", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.BLOCK1, 0, 32, 1e-2, -1, 1e-2).validate()).getMessage());
        assertEquals("--forget-lr 0.0 must be a positive number", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.BLOCK1, 0, 32, 1e-2, 5, 0).validate()).getMessage());
        assertEquals("--aux-at 'conv1' is not one of block1, block2", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.CONV1, 0, 32, 1e-2, 5, 1e-2).validate()).getMessage());
        assertEquals("--aux-depth -1 must be zero or positive", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.BLOCK1, -1, 32, 1e-2, 5, 1e-2).validate()).getMessage());
        assertEquals("--aux-width 0 must be positive when --aux-depth is 2", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.BLOCK1, 2, 0, 1e-2, 5, 1e-2).validate()).getMessage());
        assertEquals(ReadoutHead.linear(Networks.BLOCK1, "nesterovs", 1e-2), SiferOptions.defaults().auxHead());
        assertFalse(new SiferOptions(Networks.BLOCK1, 0, 32, 1e-2, 0, 1e-2).validate().forgets());
        assertEquals("--forget-lr-scaling sqrt: expected workers or none", assertThrows(BadInputException.class,
                () -> new SiferOptions(Networks.BLOCK1, 0, 32, 1e-2, 5, 1e-2, "sqrt").validate()).getMessage());

        TrainConfig c = config(new SiferOptions(Networks.BLOCK2, 1, 8, 3e-3, 2, 1e-3));
        Map<String, Object> json = Json.readObject(Json.write(c.toJson()), "config");
        assertEquals(Map.of("aux_at", "block2", "aux_depth", 1, "aux_width", 8, "aux_lr", 3e-3, "forget_every", 2,
                "forget_lr", 1e-3, "forget_lr_scaling", "workers"), json.get("sifer"));
        assertEquals(c, TrainConfig.fromJson(Json.write(c.toJson()), "config"));
        assertNull(TrainConfig.fromJson(Json.write(config(SiferOptions.defaults()).toJson()), "c").jtt());
        assertThrows(IllegalStateException.class, () -> new TrainConfig(TrainConfig.SIFER, Architecture.STUDENT, "d",
                "o", 2, 32, "adam", 1e-3, 0, "relu", 2, 2, "direct", 0, 11, "val_accuracy", 64, null, null, null).validate());
        assertThrows(IllegalStateException.class, () -> new TrainConfig(TrainConfig.ERM, Architecture.STUDENT, "d",
                "o", 2, 32, "adam", 1e-3, 0, "relu", 2, 2, "direct", 0, 11, "val_accuracy", 64, null, null,
                SiferOptions.defaults()).validate());
    }
}
