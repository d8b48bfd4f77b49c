package io.readout.common.nets;

import io.readout.common.BadInputException;

import java.io.Serializable;
import java.util.List;

/**
 * A readout head on an intermediate block of a network: DEDIER's early readout and SIFER's aux head.
 * It reads the output of block {@code auxAt} through a {@link StopGradientVertex}, so its loss trains
 * the head only, and predicts the same classes as the network with a softmax output layer of its own
 * ({@link Networks#READOUT}, cross-entropy).
 *
 * <p>With {@code depth} 0 that output layer reads the block output flattened (channels first; no
 * pooling, as the benchmarks specify: 8 x 28 x 14 = 3,136 inputs for the student on Dominoes). With
 * {@code depth} d &gt; 0, d blocks of {@code width} units come first, ReLU each: 3x3 convolutions with
 * same padding for a CNN, followed by global average pooling (as SIFER's aux heads do); dense layers
 * for an MLP.
 *
 * @param auxAt        the block the head reads: {@link Networks#BLOCK1} or {@link Networks#BLOCK2}
 * @param depth        blocks before the output layer, 0 or more
 * @param width        channels (CNN) or units (MLP) of each of those blocks; unused when depth is 0
 * @param updater      of the head's layers, independent of the network's: {@code adam}, {@code sgd} or
 *                     {@code nesterovs} (see {@link Networks#updater})
 * @param learningRate of the head's layers (SIFER's aux-lr)
 */
public record ReadoutHead(String auxAt, int depth, int width, String updater, double learningRate)
        implements Serializable {
    /** Where a head may attach. */
    public static final List<String> BLOCKS = List.of(Networks.BLOCK1, Networks.BLOCK2);

    public ReadoutHead {
        if (auxAt == null || !BLOCKS.contains(auxAt)) {
            throw new BadInputException("--aux-at '" + auxAt + "' is not one of " + String.join(", ", BLOCKS));
        }
        if (depth < 0) {
            throw new BadInputException("--aux-depth " + depth + " must be zero or positive");
        }
        if (depth > 0 && width <= 0) {
            throw new BadInputException("--aux-width " + width + " must be positive when --aux-depth is " + depth);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new BadInputException("--aux-lr " + learningRate + " must be a positive number");
        }
        if (updater == null || !NetworkConfig.UPDATERS.contains(updater)) {
            throw new BadInputException("--aux-updater '" + updater + "' is not one of "
                    + String.join(", ", NetworkConfig.UPDATERS));
        }
    }

    /** A linear softmax head on the flattened output of {@code auxAt}: DEDIER's early readout, SIFER's default. */
    public static ReadoutHead linear(String auxAt, String updater, double learningRate) {
        return new ReadoutHead(auxAt, 0, 0, updater, learningRate);
    }

    /** The same head with {@code depth} blocks of {@code width} before its output layer. */
    public ReadoutHead withBlocks(int depth, int width) {
        return new ReadoutHead(auxAt, depth, width, updater, learningRate);
    }
}
