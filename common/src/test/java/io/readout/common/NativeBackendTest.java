package io.readout.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Proves the trimmed dependency set (nd4j-native with linux-x86_64 natives only; no javacv,
 * opencv or hdf5) loads its native backend and trains a small convolutional
 * {@link ComputationGraph} on {@link BarsProblem}: the training loss drops by a stated factor and
 * held-out accuracy passes a stated threshold.
 *
 * <p>The build passes its backend artifact as {@code readout.nd4j.backend}. In the default CPU
 * build the backend must be the CPU one; under {@code -Pgpu} its name is only reported, and the
 * class is skipped when the CUDA backend cannot load (no GPU).
 */
class NativeBackendTest {
    private static final long SEED = 20240117L;
    private static final int BATCH = 32;
    private static final int EPOCHS = 6;
    /** The final training loss must be at most this fraction of the initial one (about ln 2). */
    private static final double LOSS_FACTOR = 0.1;
    private static final double MIN_HELD_OUT_ACCURACY = 0.95;

    private static final String CPU_BACKEND_ARTIFACT = "nd4j-native";
    private static String configuredBackend;
    /** Why the configured backend cannot load here, or null when it loaded. */
    private static String backendProblem;

    @BeforeAll
    static void loadBackend() {
        configuredBackend = System.getProperty("readout.nd4j.backend", CPU_BACKEND_ARTIFACT);
        try {
            System.out.println("ND4J backend: " + Nd4j.getBackend().getClass().getName()
                    + " (build configured " + configuredBackend + ")");
        } catch (RuntimeException | LinkageError e) {
            // The CPU build must load its backend; a GPU build on a machine without CUDA cannot.
            if (CPU_BACKEND_ARTIFACT.equals(configuredBackend)) {
                throw e;
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            backendProblem = "ND4J backend " + configuredBackend + " cannot load here: " + cause;
            System.out.println(backendProblem);
        }
    }

    @BeforeEach
    void skipWithoutBackend() {
        assumeTrue(backendProblem == null, backendProblem);
    }

    @Test
    void cpuBuildUsesTheCpuBackend() {
        String backend = Nd4j.getBackend().getClass().getName();
        assumeTrue(CPU_BACKEND_ARTIFACT.equals(configuredBackend),
                "backend " + backend + " only reported in build " + configuredBackend);
        assertTrue(backend.contains("Cpu"), "expected the CPU backend, got " + backend);
    }

    @Test
    void smallConvolutionalGraphLearnsBars() {
        DataSet train = BarsProblem.examples(256, SEED);
        DataSet heldOut = BarsProblem.examples(128, SEED + 1);
        ComputationGraph net = new ComputationGraph(BarsProblem.network(SEED));
        net.init();

        double initialLoss = net.score(train);
        List<DataSet> batches = train.batchBy(BATCH);
        for (int epoch = 0; epoch < EPOCHS; epoch++) {
            for (DataSet batch : batches) {
                net.fit(batch);
            }
        }
        double finalLoss = net.score(train);
        Evaluation eval = new Evaluation(BarsProblem.CLASSES);
        eval.eval(heldOut.getLabels(), net.outputSingle(heldOut.getFeatures()));
        System.out.printf("%d iterations: loss %.4f -> %.4f, held-out accuracy %.3f%n",
                net.getIterationCount(), initialLoss, finalLoss, eval.accuracy());

        assertEquals(EPOCHS * 256 / BATCH, net.getIterationCount());
        assertTrue(finalLoss <= LOSS_FACTOR * initialLoss,
                "loss " + initialLoss + " -> " + finalLoss + " did not drop by " + LOSS_FACTOR);
        assertTrue(eval.accuracy() >= MIN_HELD_OUT_ACCURACY,
                "held-out accuracy " + eval.accuracy() + " < " + MIN_HELD_OUT_ACCURACY);
    }

    @Test
    void trainingIsReproducibleForAFixedSeed() {
        DataSet train = BarsProblem.examples(64, SEED);
        double[] losses = new double[2];
        for (int run = 0; run < 2; run++) {
            ComputationGraph net = new ComputationGraph(BarsProblem.network(SEED));
            net.init();
            for (DataSet batch : train.batchBy(BATCH)) {
                net.fit(batch);
            }
            losses[run] = net.score(train);
        }
        // The same kernels, threads and data, run twice: equal to the bit on any CPU.
        assertEquals(losses[0], losses[1], "same seed and data, different loss");
    }
}
