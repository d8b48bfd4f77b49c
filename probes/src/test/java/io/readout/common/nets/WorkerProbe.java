package io.readout.common.nets;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a Spark {@code local[2]} worker pays besides its minibatches, without Spark (docs/bench/issue17-profile.md):
 * <ol>
 *   <li>{@code rounds}: an averaging round as dl4j-spark's worker runs it (a new network from the configuration,
 *   the driver's parameters and updater state set, {@link NativeKernels#engage}, K=10 minibatches of 32), against
 *   the same round on a network kept from the last one;</li>
 *   <li>{@code threads}: minibatches of 32 on one thread alone, then on two threads at once (each its own
 *   network, one native thread each), as the two workers of {@code local[2]} run.</li>
 * </ol>
 * The command is in issue17-profile.md.
 */
public class WorkerProbe {
    public static void main(String[] args) throws Exception {
        System.out.println(ProbeLines.cpu());
        NativeKernels.limitThreads(1);
        for (String n : System.getProperty("readout.probe.nets", "student,teacher").split(",")) {
            Architecture arch = Architecture.valueOf(n.toUpperCase());
            rounds(arch, batches(1));
            threads(arch, Integer.getInteger("readout.probe.batches", arch == Architecture.TEACHER ? 40 : 150));
        }
    }

    private static NetworkConfig config(Architecture arch, int seed) {
        return NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, seed);
    }

    private static List<DataSet> batches(long seed) {
        return TrainingStepProbe.batches(seed, 10, 32);
    }

    private static void rounds(Architecture arch, List<DataSet> batches) {
        ComputationGraph driver = Networks.build(config(arch, 0));
        driver.fit(batches.get(0));
        INDArray params = driver.params().dup();
        INDArray state = driver.getUpdater().getStateViewArray().dup();
        ComputationGraph kept = null;
        int rounds = 12;
        double[] build = new double[rounds];
        double[] freshFit = new double[rounds];
        double[] set = new double[rounds];
        double[] keptFit = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            ComputationGraph fresh = new ComputationGraph(driver.getConfiguration().clone());
            fresh.init();
            fresh.setParams(params.dup());
            fresh.getUpdater().setStateViewArray(state.dup());
            NativeKernels.engage(fresh);
            long t1 = System.nanoTime();
            batches.forEach(fresh::fit);
            long t2 = System.nanoTime();
            kept = kept == null ? fresh : kept;
            kept.setParams(params.dup());
            kept.getUpdater().setStateViewArray(state.dup());
            long t3 = System.nanoTime();
            batches.forEach(kept::fit);
            long t4 = System.nanoTime();
            build[r] = (t1 - t0) / 1e6;
            freshFit[r] = (t2 - t1) / 1e6;
            set[r] = (t3 - t2) / 1e6;
            keptFit[r] = (t4 - t3) / 1e6;
        }
        // the first 2 rounds warm up
        System.out.printf("PROBE %s rounds: new network %.1f ms + 10 minibatches %.1f ms; kept network %.1f ms + %.1f ms"
                        + " (medians of rounds 3-%d)%n", arch.name().toLowerCase(), median(build), median(freshFit),
                median(set), median(keptFit), rounds);
    }

    private static void threads(Architecture arch, int steps) throws InterruptedException {
        for (int threads : new int[] {1, 2, 1, 2}) {
            double[] ms = new double[threads];
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                running.add(new Thread(() -> {
                    NativeKernels.limitThreads(1);
                    ComputationGraph net = Networks.build(config(arch, id));
                    List<DataSet> batches = batches(10 + id);
                    for (int i = 0; i < 20; i++) {
                        net.fit(batches.get(i % batches.size()));
                    }
                    long t0 = System.nanoTime();
                    for (int i = 0; i < steps; i++) {
                        net.fit(batches.get(i % batches.size()));
                    }
                    ms[id] = (System.nanoTime() - t0) / 1e6 / steps;
                }));
            }
            running.forEach(Thread::start);
            for (Thread t : running) {
                t.join();
            }
            System.out.printf("PROBE %s threads=%d ms per minibatch of 32 per thread %s, examples/s in all %.0f%n",
                    arch.name().toLowerCase(), threads, Arrays.toString(Arrays.stream(ms).map(m -> Math.round(m * 100) / 100.0).toArray()),
                    Arrays.stream(ms).map(m -> 32_000 / m).sum());
        }
    }

    private static double median(double[] all) {
        double[] v = Arrays.copyOfRange(all, 2, all.length);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
