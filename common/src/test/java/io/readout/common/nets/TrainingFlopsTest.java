package io.readout.common.nets;

import io.readout.common.nets.TrainingFlops.LayerFlops;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * FLOPs per training example of the benchmark nets (../shared/BENCHMARKS.md, "Networks") on dominoes' 1×56×28
 * inputs with 2 classes, against counts worked out by hand. Convolutions are 3×3 with padding 1, so conv1 runs at
 * 56×28 and conv2, after a 2×2 pooling, at 28×14; the dense layer sees C2×14×7.
 */
class TrainingFlopsTest {
    private static NetworkConfig dominoes(Architecture arch) {
        return NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 0);
    }

    @Test
    void theTeacherOnDominoes() {
        TrainingFlops flops = TrainingFlops.of(dominoes(Architecture.TEACHER));
        assertEquals(List.of(
                new LayerFlops(Networks.CONV1, "convolution", 2L * 56 * 28 * 32 * 1 * 9, false),   //    903,168
                new LayerFlops(Networks.CONV2, "convolution", 2L * 28 * 14 * 64 * 32 * 9, true),   // 14,450,688
                new LayerFlops(Networks.DENSE, "dense", 2L * 64 * 14 * 7 * 128, true),             //  1,605,632
                new LayerFlops(Networks.OUTPUT, "dense", 2L * 128 * 2, true)), flops.layers());   //        512
        assertEquals(16_960_000L, flops.forward());
        // 3 x forward, less conv1's input gradient: 50,880,000 - 903,168.
        assertEquals(49_976_832L, flops.training());
        assertEquals(49.976832, flops.gflops(1000), 1e-9);
    }

    @Test
    void theStudentOnDominoes() {
        TrainingFlops flops = TrainingFlops.of(dominoes(Architecture.STUDENT));
        // conv1 2·56·28·8·1·9, conv2 2·28·14·16·8·9, dense 2·(16·14·7)·32, output 2·32·2.
        assertEquals(List.of(225_792L, 903_168L, 100_352L, 128L),
                flops.layers().stream().map(LayerFlops::forward).toList());
        assertEquals(1_229_440L, flops.forward());
        assertEquals(3 * 1_229_440L - 225_792L, flops.training());
        assertEquals(3_462_528L, flops.training());
    }

    @Test
    void theStudentOnTheSynthetic16By16Images() {
        TrainingFlops flops = TrainingFlops.of(NetworkConfig.image(Architecture.STUDENT, 1, 16, 16, 2, "adam", 1e-3, 0, 0));
        // conv1 2·16·16·8·9, conv2 2·8·8·16·8·9, dense 2·(16·4·4)·32, output 2·32·2.
        assertEquals(36_864L + 147_456L + 16_384L + 128L, flops.forward());
        assertEquals(565_632L, flops.training());
    }

    @Test
    void anMlpCountsItsDenseLayersAndSkipsTheFirstInputGradient() {
        TrainingFlops flops = TrainingFlops.of(NetworkConfig.vector(Architecture.STUDENT, 10, 3, "adam", 1e-3, 0, 0));
        // block1 10→32, block2 32→64, dense 64→32, output 32→3.
        assertEquals(List.of(640L, 4096L, 4096L, 192L), flops.layers().stream().map(LayerFlops::forward).toList());
        assertEquals(2 * 640L + 3 * (4096L + 4096L + 192L), flops.training());
    }

    @Test
    void aTokensNetCountsItsBagAsAddsAndBlock1WithItsInputGradient() {
        TrainingFlops flops = TrainingFlops.of(NetworkConfig.tokens(Architecture.TEACHER, 128, 20_000, 2, "adam", 1e-3,
                0, 0));
        // embed: 128 ids x 64 units, one add each (the vocabulary size costs nothing); block1 64→128,
        // block2 128→256, dense 256→128, output 128→2.
        assertEquals(List.of(
                new LayerFlops(Networks.EMBED, "embedding_bag", 128L * 64, false),
                new LayerFlops(Networks.BLOCK1, "dense", 2L * 64 * 128, true),
                new LayerFlops(Networks.BLOCK2, "dense", 2L * 128 * 256, true),
                new LayerFlops(Networks.DENSE, "dense", 2L * 256 * 128, true),
                new LayerFlops(Networks.OUTPUT, "dense", 2L * 128 * 2, true)), flops.layers());
        // The bag: forward plus the scatter of its weight gradient; every dense layer 3 x forward.
        assertEquals(2 * 8_192L + 3 * (16_384L + 65_536L + 65_536L + 512L), flops.training());
    }
}
