package io.readout.common.nets;

import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * What the first convolution's weight gradient ({@link ConvolutionWeightGradient}) costs per call on each of its
 * paths, side by side in one JVM (docs/bench/issue17-profile.md, "Tenth session"): the vector API's
 * ({@link VectorWeightGradient}), the scalar direct loop's and libnd4j's im2col, on the student's (8 outputs) and
 * the teacher's (32) first convolution, 3×3, padding 1, on a 56×28 image, at the minibatches given, on one thread. Run through
 * {@code docs/bench/profile/run.sh} ({@code PROBE=WeightGradientProbe}); {@code -Dreadout.probe.batches=32,64},
 * {@code -Dreadout.probe.outputs=8,32}, {@code -Dreadout.probe.repeats=5}. Prints, per shape, the median ms per
 * call of each path over the rounds, the rounds in turn (each path called {@code calls} times a round).
 */
public class WeightGradientProbe {
    private static final String[] PATHS = {"vector", "scalar", "im2col"};

    public static void main(String[] args) throws Exception {
        int repeats = Integer.getInteger("readout.probe.repeats", 5);
        int calls = Integer.getInteger("readout.probe.calls", 50);
        System.out.println(ProbeLines.cpu());
        NativeKernels.limitThreads(1); // as TrainingStepProbe: libnd4j's im2col and matmul on one thread
        int[] k = {3, 3}, one = {1, 1};
        for (String b : System.getProperty("readout.probe.batches", "32,64").split(",")) {
            for (String o : System.getProperty("readout.probe.outputs", "8,32").split(",")) {
                int n = Integer.parseInt(b), outputs = Integer.parseInt(o);
                Nd4j.getRandom().setSeed(7);
                INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 56, 28).subi(0.5);
                INDArray delta = Nd4j.rand(DataType.FLOAT, n, outputs, 56, 28).subi(0.5);
                INDArray weights = Nd4j.create(DataType.FLOAT, outputs, 1, 3, 3);
                INDArray bias = Nd4j.create(DataType.FLOAT, 1, outputs);
                List<List<Double>> ms = new ArrayList<>();
                for (String ignored : PATHS) {
                    ms.add(new ArrayList<>());
                }
                for (int r = 0; r < repeats + 1; r++) { // round 0 warms up
                    for (int p = 0; p < PATHS.length; p++) {
                        System.setProperty(ConvolutionWeightGradient.VECTOR_PROPERTY, String.valueOf(p == 0));
                        System.setProperty(ConvolutionWeightGradient.IM2COL_PROPERTY, String.valueOf(p == 2));
                        long t0 = System.nanoTime();
                        for (int i = 0; i < calls; i++) {
                            if (p < 2) {
                                ConvolutionWeightGradient.direct(x, delta, k, one, one, weights, bias);
                            } else if (!ConvolutionWeightGradient.compute(x, delta, k, one, one, one, weights, bias,
                                    LayerWorkspaceMgr.noWorkspaces())) {
                                throw new IllegalStateException("shapes");
                            }
                        }
                        if (r > 0) {
                            ms.get(p).add((System.nanoTime() - t0) / 1e6 / calls);
                        }
                    }
                }
                System.clearProperty(ConvolutionWeightGradient.VECTOR_PROPERTY);
                System.clearProperty(ConvolutionWeightGradient.IM2COL_PROPERTY);
                StringBuilder line = new StringBuilder(String.format("PROBE batch %d outputs %d:", n, outputs));
                for (int p = 0; p < PATHS.length; p++) {
                    double[] sorted = ms.get(p).stream().mapToDouble(Double::doubleValue).sorted().toArray();
                    line.append(String.format(" %s %.3f ms", PATHS[p], sorted[sorted.length / 2]));
                }
                line.append(String.format(" (%d rounds of %d calls; vector lanes %s)", repeats, calls,
                        jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length()));
                System.out.println(line);
            }
        }
    }
}
