package io.readout.common.nets;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A speed probe (docs/BENCHMARKS.md, "CPU kernels"; in the probes module, outside the default build:
 * {@code mvn -Pprobes -pl probes -am test -Dtest=KernelSpeedProbe -Dsurefire.failIfNoSpecifiedTests=false}). Trains Networks.build(teacher|student) on random 56x28x1 minibatches of 64
 * with 1 and 2 native threads, interleaved, and prints examples/s (median of repeats) and process
 * CPU time / wall time, after the CPU it runs on. Networks.build runs on the kernels NativeKernels chooses: -Dreadout.onednn=false
 * for DL4J's built-in ones; -Dnd4j.native.build= (empty) or another suffix for another nd4j-native build.
 * NativeKernelsTest checks that both kernel sets compute the same outputs and gradients.
 */
class KernelSpeedProbe {
    @Test
    void probe() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("readout.probe"), "speed probe: run with -Dreadout.probe=true");
        int repeats = Integer.getInteger("readout.probe.repeats", 3);
        String nets = System.getProperty("readout.probe.nets", "student,teacher");
        // The line docs/bench/results/kernel-probes.txt and `readout bench tables` read the CPU from.
        System.out.println(ProbeLines.cpu());
        System.out.println("PROBE build: " + Nd4j.getExecutioner().getEnvironmentInformation());
        System.out.println("PROBE kernels: " + NativeKernels.describe());
        for (String n : nets.split(",")) {
            Architecture arch = Architecture.valueOf(n.toUpperCase());
            int timedBatches = arch == Architecture.TEACHER ? 10 : 30;
            ComputationGraph net = Networks.build(NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
            Object helper = ((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper();
            Object poolHelper = ((SubsamplingLayer) net.getLayer(Networks.BLOCK1)).getHelper();
            System.out.println("PROBE " + n + " conv1 helper: " + (helper == null ? "none" : helper.getClass().getName())
                    + ", pool helper: " + (poolHelper == null ? "none" : poolHelper.getClass().getName()));
            List<DataSet> batches = TrainingStepProbe.batches();
            for (int t : new int[] {1, 2}) { // warm-up both thread counts
                limit(t);
                fit(net, batches, 4);
            }
            helper = ((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper();
            poolHelper = ((SubsamplingLayer) net.getLayer(Networks.BLOCK1)).getHelper();
            System.out.println("PROBE " + n + " after fit: conv1 helper: " + (helper == null ? "none" : helper.getClass().getName())
                    + ", pool helper: " + (poolHelper == null ? "none" : poolHelper.getClass().getName()));
            double[][] rates = new double[2][repeats];
            double[][] cores = new double[2][repeats];
            for (int r = 0; r < repeats; r++) {
                for (int t = 1; t <= 2; t++) {
                    limit(t);
                    long t0 = System.nanoTime();
                    double c0 = cpuSeconds();
                    fit(net, batches, timedBatches);
                    double s = (System.nanoTime() - t0) / 1e9;
                    rates[t - 1][r] = timedBatches * 64 / s;
                    cores[t - 1][r] = (cpuSeconds() - c0) / s;
                }
            }
            for (int t = 1; t <= 2; t++) {
                double[] v = rates[t - 1].clone();
                Arrays.sort(v);
                System.out.printf("PROBE %s threads=%d median=%.0f ex/s runs=%s process CPU/wall=%s%n", n, t, v[v.length / 2],
                        Arrays.toString(Arrays.stream(rates[t - 1]).mapToLong(Math::round).toArray()),
                        Arrays.toString(Arrays.stream(cores[t - 1]).map(c -> Math.round(c * 100) / 100.0).toArray()));
            }
        }
    }

    /** User + system CPU time of this process (all threads, native ones included), from /proc/self/stat. */
    private static double cpuSeconds() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    private static void fit(ComputationGraph net, List<DataSet> batches, int n) {
        for (int i = 0; i < n; i++) {
            net.fit(batches.get(i % batches.size()));
        }
    }

    /** As a Spark task does; {@code -Dreadout.probe.omp=false} leaves OpenMP's team size alone. */
    private static void limit(int threads) {
        if (Boolean.parseBoolean(System.getProperty("readout.probe.omp", "true"))) {
            NativeKernels.limitThreads(threads);
        } else {
            Nd4j.getEnvironment().setMaxThreads(threads);
            Nd4j.getEnvironment().setMaxMasterThreads(threads);
            Nd4j.factory().blas().setMaxThreads(threads);
        }
    }
}
