package io.readout.common;

import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A seeded, learnable toy problem for tests that must prove training works (locally and through
 * Spark): 1x8x8 images holding a bar of three bright pixels at a random place in Gaussian noise;
 * label 0 for a horizontal bar, 1 for a vertical one. Only the orientation separates the
 * classes, so the 3x3 convolution of {@link #network(long)} is needed and enough.
 *
 * <p>Shared with the jobs module's tests through this module's test-jar.
 */
public final class BarsProblem {
    public static final int SIDE = 8;
    public static final int CLASSES = 2;
    /** Standard deviation of the pixel noise; the bar adds 1.0 on top. */
    public static final double NOISE = 0.3;

    private BarsProblem() {
    }

    /** conv 3x3 -> global max pool -> dense -> softmax on 1x8x8 inputs, Adam, seeded. */
    public static ComputationGraphConfiguration network(long seed) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-2))
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(InputType.convolutional(SIDE, SIDE, 1))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3)
                        .nOut(6).activation(Activation.RELU).build(), "image")
                // Global max pooling: the bar may sit anywhere, only its orientation matters.
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "conv")
                .addLayer("dense", new DenseLayer.Builder()
                        .nOut(16).activation(Activation.RELU).build(), "pool")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(CLASSES).activation(Activation.SOFTMAX).build(), "dense")
                .setOutputs("out")
                .build();
    }

    /** {@code n} examples, labels alternating (balanced): features [n,1,8,8], one-hot labels. */
    public static DataSet examples(int n, long seed) {
        Random random = new Random(seed);
        INDArray features = Nd4j.zeros(DataType.FLOAT, n, 1, SIDE, SIDE);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, CLASSES);
        for (int i = 0; i < n; i++) {
            int label = i % CLASSES;
            for (int r = 0; r < SIDE; r++) {
                for (int c = 0; c < SIDE; c++) {
                    features.putScalar(new long[] {i, 0, r, c}, NOISE * random.nextGaussian());
                }
            }
            int row = random.nextInt(SIDE - 2);
            int col = random.nextInt(SIDE - 2);
            for (int k = 0; k < 3; k++) {
                long[] pixel = label == 0 ? new long[] {i, 0, row + 1, col + k}
                                          : new long[] {i, 0, row + k, col + 1};
                features.putScalar(pixel, 1.0 + features.getDouble(pixel));
            }
            labels.putScalar(i, label, 1.0);
        }
        return new DataSet(features, labels);
    }
}
