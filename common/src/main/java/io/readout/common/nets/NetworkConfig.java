package io.readout.common.nets;

import io.readout.common.BadInputException;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.io.Serializable;
import java.util.List;

/**
 * Everything a network factory needs: architecture, input, classes, optimiser, seed and, optionally, a
 * readout head. The input is one of three kinds: an image shape (channels, height, width; numFeatures and
 * vocabSize 0), a feature vector (numFeatures; the rest 0) or token ids (numFeatures ids per example, each in
 * [0, vocabSize); the image fields 0).
 *
 * @param numFeatures  the vector length, or the number of token ids per example; 0 for images
 * @param vocabSize    the number of distinct token ids (id 0 is padding) for token input; 0 otherwise
 * @param updater      {@code adam}, {@code sgd} or {@code nesterovs} (momentum 0.9)
 * @param weightDecay  decoupled weight decay coefficient applied by the updater (0 for none)
 * @param activation   of the hidden layers: {@code relu} (the benchmarks'), {@code leakyrelu}, {@code elu} or {@code tanh}
 * @param readout      a readout head on an intermediate block (a second output, {@link Networks#READOUT}), or null
 * @param outputLoss   the loss of the main softmax output ({@link Networks#OUTPUT}), e.g. a distillation loss
 *                     whose labels carry teacher probabilities; null for cross-entropy
 */
public record NetworkConfig(Architecture arch, int channels, int height, int width, int numFeatures, int vocabSize,
                            int numClasses,
                            String updater, double learningRate, double weightDecay, long seed, String activation,
                            ReadoutHead readout, ILossFunction outputLoss)
        implements Serializable {
    public static final String DEFAULT_ACTIVATION = "relu";
    public static final List<String> ACTIVATIONS = List.of("relu", "leakyrelu", "elu", "tanh");
    public static final List<String> UPDATERS = List.of("adam", "sgd", "nesterovs");
    /** Token ids travel as floats, which hold every integer up to 2^24 exactly. */
    public static final int MAX_VOCAB_SIZE = 1 << 24;

    public NetworkConfig {
        boolean image = channels > 0 && height > 0 && width > 0;
        if (!image && numFeatures <= 0) {
            throw new BadInputException("network input: give an image shape or a feature count");
        }
        if (vocabSize < 0 || vocabSize > 0 && (image || vocabSize > MAX_VOCAB_SIZE)) {
            throw new BadInputException("network input: " + vocabSize + " token ids do not fit "
                    + (image ? "an image input" : "a float input (at most " + MAX_VOCAB_SIZE + ")"));
        }
        if (numClasses < 2) {
            throw new BadInputException("network output: at least 2 classes are needed, the data has " + numClasses);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new BadInputException("--lr " + learningRate + " must be a positive number");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new BadInputException("--weight-decay " + weightDecay + " must be zero or positive");
        }
        if (!ACTIVATIONS.contains(activation)) {
            throw new BadInputException("--activation '" + activation + "' is not one of " + String.join(", ", ACTIVATIONS));
        }
        if (!UPDATERS.contains(updater)) {
            throw new BadInputException("--updater '" + updater + "' is not one of adam, sgd, nesterovs");
        }
    }

    /** A CNN for CHW images. */
    public static NetworkConfig image(Architecture arch, int channels, int height, int width, int numClasses,
                                      String updater, double lr, double weightDecay, long seed) {
        return new NetworkConfig(arch, channels, height, width, 0, 0, numClasses, updater, lr, weightDecay, seed,
                DEFAULT_ACTIVATION, null, null);
    }

    /** An MLP for feature vectors. */
    public static NetworkConfig vector(Architecture arch, int numFeatures, int numClasses, String updater, double lr,
                                       double weightDecay, long seed) {
        return new NetworkConfig(arch, 0, 0, 0, numFeatures, 0, numClasses, updater, lr, weightDecay, seed,
                DEFAULT_ACTIVATION, null, null);
    }

    /** A mean-of-embeddings network for {@code length} token ids per example, each in [0, {@code vocabSize}). */
    public static NetworkConfig tokens(Architecture arch, int length, int vocabSize, int numClasses, String updater,
                                       double lr, double weightDecay, long seed) {
        if (vocabSize <= 0) {
            throw new BadInputException("network input: token ids need a vocabulary size, got " + vocabSize);
        }
        return new NetworkConfig(arch, 0, 0, 0, length, vocabSize, numClasses, updater, lr, weightDecay, seed,
                DEFAULT_ACTIVATION, null, null);
    }

    /** The same network with another hidden-layer activation. */
    public NetworkConfig withActivation(String name) {
        return new NetworkConfig(arch, channels, height, width, numFeatures, vocabSize, numClasses, updater,
                learningRate, weightDecay, seed, name, readout, outputLoss);
    }

    /** The same network with a readout head (null: none). */
    public NetworkConfig withReadout(ReadoutHead head) {
        return new NetworkConfig(arch, channels, height, width, numFeatures, vocabSize, numClasses, updater,
                learningRate, weightDecay, seed, activation, head, outputLoss);
    }

    /** The same network with another loss on its main output (null: cross-entropy). */
    public NetworkConfig withOutputLoss(ILossFunction loss) {
        return new NetworkConfig(arch, channels, height, width, numFeatures, vocabSize, numClasses, updater,
                learningRate, weightDecay, seed, activation, readout, loss);
    }

    public boolean hasReadout() {
        return readout != null;
    }

    public boolean isImage() {
        return numFeatures == 0;
    }

    /** Whether the input is token ids (an {@link EmbeddingBag} first), rather than an image or a feature vector. */
    public boolean isTokens() {
        return vocabSize > 0;
    }
}
