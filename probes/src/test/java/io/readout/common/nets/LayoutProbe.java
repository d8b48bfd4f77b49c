package io.readout.common.nets;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Arrays;

/**
 * A probe of the layout, data type and workspace levers (docs/BENCHMARKS.md; in the probes module,
 * outside the default build: {@code -Pprobes}): the nets of {@link Networks} rebuilt with NCHW or NHWC, FLOAT or another
 * data type, workspaces on or off, trained on random 56x28x1 minibatches of 64 on 1 native thread;
 * prints examples/s (median of repeats, variants interleaved).
 */
class LayoutProbe {
    record Variant(String name, CNN2DFormat format, DataType type, WorkspaceMode workspaces) {
    }

    @Test
    void probe() {
        Assumptions.assumeTrue(Boolean.getBoolean("readout.probe"), "speed probe: run with -Dreadout.probe=true");
        int repeats = Integer.getInteger("readout.probe.repeats", 3);
        NativeKernels.limitThreads(1);
        System.out.println("PROBE kernels: " + NativeKernels.describe());
        Variant[] variants = {
            new Variant("NCHW float ws", CNN2DFormat.NCHW, DataType.FLOAT, WorkspaceMode.ENABLED),
            new Variant("NHWC float ws", CNN2DFormat.NHWC, DataType.FLOAT, WorkspaceMode.ENABLED),
            new Variant("NCHW float no-ws", CNN2DFormat.NCHW, DataType.FLOAT, WorkspaceMode.NONE),
            new Variant("NCHW bf16 ws", CNN2DFormat.NCHW, DataType.BFLOAT16, WorkspaceMode.ENABLED),
            new Variant("NCHW half ws", CNN2DFormat.NCHW, DataType.HALF, WorkspaceMode.ENABLED),
        };
        for (Architecture arch : new Architecture[] {Architecture.STUDENT, Architecture.TEACHER}) {
            int timed = arch == Architecture.TEACHER ? 10 : 30;
            ComputationGraph[] nets = new ComputationGraph[variants.length];
            DataSet[] data = new DataSet[variants.length];
            double[][] rates = new double[variants.length][repeats];
            for (int v = 0; v < variants.length; v++) {
                try {
                    nets[v] = NativeKernels.engage(build(arch, variants[v]));
                    data[v] = batch(variants[v]);
                    for (int i = 0; i < 4; i++) {
                        nets[v].fit(data[v]);
                    }
                } catch (RuntimeException e) {
                    System.out.println("PROBE " + arch + " " + variants[v].name() + ": fails: " + e);
                    nets[v] = null;
                }
            }
            for (int r = 0; r < repeats; r++) {
                for (int v = 0; v < variants.length; v++) {
                    if (nets[v] == null) {
                        continue;
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < timed; i++) {
                        nets[v].fit(data[v]);
                    }
                    rates[v][r] = timed * 64 / ((System.nanoTime() - t0) / 1e9);
                }
            }
            for (int v = 0; v < variants.length; v++) {
                if (nets[v] == null) {
                    continue;
                }
                double[] sorted = rates[v].clone();
                Arrays.sort(sorted);
                System.out.printf("PROBE %s %s: median %.0f ex/s runs %s engaged=%s score %.4f%n", arch, variants[v].name(),
                        sorted[repeats / 2], Arrays.toString(Arrays.stream(rates[v]).mapToLong(Math::round).toArray()),
                        NativeKernels.engaged(nets[v]), nets[v].score());
            }
        }
    }

    private static DataSet batch(Variant v) {
        Nd4j.getRandom().setSeed(1);
        long[] shape = v.format() == CNN2DFormat.NCHW ? new long[] {64, 1, 56, 28} : new long[] {64, 56, 28, 1};
        var x = Nd4j.rand(DataType.FLOAT, shape).castTo(v.type());
        var y = Nd4j.zeros(v.type(), 64, 2);
        for (int r = 0; r < 64; r++) {
            y.putScalar(r, r % 2, 1f);
        }
        return new DataSet(x, y);
    }

    private static ComputationGraph build(Architecture a, Variant v) {
        var g = new NeuralNetConfiguration.Builder().seed(0).dataType(v.type()).updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU).trainingWorkspaceMode(v.workspaces()).inferenceWorkspaceMode(v.workspaces())
                .graphBuilder().addInputs("input")
                .setInputTypes(InputType.convolutional(56, 28, 1, v.format()))
                .addLayer("conv1", conv(a.conv1(), v.format()), "input")
                .addLayer("block1", pool(v.format()), "conv1")
                .addLayer("conv2", conv(a.conv2(), v.format()), "block1")
                .addLayer("block2", pool(v.format()), "conv2")
                .addLayer("dense", new DenseLayer.Builder().nOut(a.dense()).activation(Activation.RELU).build(), "block2")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(2)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build(), "dense")
                .setOutputs("output").build();
        ComputationGraph net = new ComputationGraph(g);
        net.init();
        return net;
    }

    private static ConvolutionLayer conv(int channels, CNN2DFormat f) {
        return new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nOut(channels).dataFormat(f)
                .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build();
    }

    private static SubsamplingLayer pool(CNN2DFormat f) {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).dataFormat(f)
                .build();
    }
}
