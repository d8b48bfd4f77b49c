package io.readout.common.nets;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class KeptOutputTest {
    private final INDArray input = Nd4j.ones(DataType.FLOAT, 2, 3);
    private final INDArray output = Nd4j.zeros(DataType.FLOAT, 2, 3);

    @Test
    void givesTheOutputBackOnceForTheSameInputArray() {
        KeptOutput kept = new KeptOutput();
        kept.keep(input, output);
        assertSame(output, kept.take(input));
        assertNull(kept.take(input), "taken: a second backward pass must run the forward pass again");
    }

    @Test
    void anotherInputArrayEvenOfEqualValuesGetsNothing() {
        KeptOutput kept = new KeptOutput();
        kept.keep(input, output);
        assertNull(kept.take(input.dup()));
        assertNull(kept.take(input), "a miss forgets too");
    }

    @Test
    void nothingKeptOrForgottenGivesNothing() {
        KeptOutput kept = new KeptOutput();
        assertNull(kept.take(input));
        assertNull(kept.take(null));
        kept.keep(input, output);
        kept.forget();
        assertNull(kept.take(input));
    }
}
