package io.readout.common.nets;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The output a layer's training forward pass returned, kept for the backward pass that follows on the same input
 * array (the very array object: a new forward pass, even on equal values, is another array). Holding it costs nothing:
 * it lives in the activations workspace that DL4J keeps open from the forward pass to the end of the backward pass.
 */
final class KeptOutput {
    private INDArray input;
    private INDArray output;

    void keep(INDArray input, INDArray output) {
        this.input = input;
        this.output = output;
    }

    /** The kept output if it was computed from {@code input} itself, else null; forgets it either way. */
    INDArray take(INDArray input) {
        INDArray kept = input != null && input == this.input ? output : null;
        forget();
        return kept;
    }

    void forget() {
        input = null;
        output = null;
    }
}
