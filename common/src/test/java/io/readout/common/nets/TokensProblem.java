package io.readout.common.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Random;

/**
 * A seeded, learnable toy problem for token-id networks: {@value #LENGTH} ids per example from a vocabulary
 * of {@value #VOCAB} (0 padding), a random number of them padding at the end; exactly one position holds
 * {@link #CUE_0} or {@link #CUE_1}, and that cue is the label; the other ids are noise drawn from
 * [{@value #FIRST_NOISE}, {@value #VOCAB}). Only the cue separates the classes, wherever it sits.
 */
final class TokensProblem {
    static final int LENGTH = 8;
    static final int VOCAB = 24;
    static final int CLASSES = 2;
    static final int CUE_0 = 2;
    static final int CUE_1 = 3;
    static final int FIRST_NOISE = 4;

    private TokensProblem() {
    }

    /** The network for this problem (the student unless told otherwise), with {@code seed}. */
    static NetworkConfig student(String updater, double lr, double weightDecay, long seed) {
        return NetworkConfig.tokens(Architecture.STUDENT, LENGTH, VOCAB, CLASSES, updater, lr, weightDecay, seed);
    }

    /** {@code n} examples: features [n, LENGTH] float ids, one-hot labels [n, 2]. */
    static DataSet examples(int n, long seed) {
        Random random = new Random(seed);
        float[] ids = new float[n * LENGTH];
        float[] labels = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int used = 1 + random.nextInt(LENGTH);
            int label = random.nextInt(CLASSES);
            int cueAt = random.nextInt(used);
            for (int j = 0; j < used; j++) {
                ids[i * LENGTH + j] = j == cueAt ? (label == 0 ? CUE_0 : CUE_1)
                        : FIRST_NOISE + random.nextInt(VOCAB - FIRST_NOISE);
            }
            labels[i * CLASSES + label] = 1;
        }
        return new DataSet(Nd4j.create(ids, new long[] {n, LENGTH}, DataType.FLOAT),
                Nd4j.create(labels, new long[] {n, CLASSES}, DataType.FLOAT));
    }
}
