package io.readout.jobs.report;

import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Grad-CAM (Selvaraju et al., "Grad-CAM: Visual Explanations from Deep Networks via Gradient-based
 * Localization", ICCV 2017) of a run's model, on the driver. For the predicted class c and the activations A
 * of the last convolution layer (channels k, positions i, j): α_k = the mean over positions of
 * ∂logit_c / ∂A_k ({@link ClassLogitGradient}), CAM = ReLU(Σ_k α_k A_k), upsampled bilinearly to the
 * input's height × width and divided by its maximum, so each map lies in [0, 1] (an all-zero map, where no
 * channel speaks for c, stays zero).
 */
public final class GradCam {
    /**
     * The vertex read: the last convolution layer of the teacher and of the student ({@link Networks}: conv2,
     * the second block's convolution, after its activation and before the block's 2×2 max pooling). The
     * pooling only picks among these values, and conv2 keeps twice block2's resolution; global pooling and
     * the dense layer follow, which keep no position.
     */
    static final String TARGET = Networks.CONV2;

    private GradCam() {
    }

    /** Per example: the predicted class and its normalised map ({@code height·width}, row-major, the input's size). */
    public record Maps(int[] predicted, float[][] maps, int height, int width) {
    }

    /** The vertex Grad-CAM reads, or null when the network has no convolution layer there (an MLP). */
    public static String target(ComputationGraph net) {
        GraphVertex v = net.getVertex(TARGET);
        return v != null && v.hasLayer() && v.getLayer().conf().getLayer() instanceof ConvolutionLayer ? TARGET : null;
    }

    /** The maps of the predicted classes of image features {@code [n, channels, height, width]}. */
    public static Maps compute(ComputationGraph net, INDArray features) {
        String target = target(net);
        if (target == null) {
            throw new IllegalArgumentException("the network has no convolution layer " + TARGET);
        }
        return compute(net, features, target, ClassLogitGradient.predict(net, features));
    }

    /** The maps of {@code classes} (one per example) at {@code vertex}, a convolution layer's output. */
    static Maps compute(ComputationGraph net, INDArray features, String vertex, int[] classes) {
        if (features.rank() != 4) {
            throw new IllegalArgumentException("Grad-CAM needs image features [n, c, h, w], got "
                    + Arrays.toString(features.shape()));
        }
        ClassLogitGradient.AtVertex at = ClassLogitGradient.at(net, features, classes, vertex);
        INDArray a = at.activations();
        int n = (int) a.size(0);
        int channels = (int) a.size(1);
        int ah = (int) a.size(2);
        int aw = (int) a.size(3);
        int height = (int) features.size(2);
        int width = (int) features.size(3);
        double[] activations = a.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        double[] gradient = at.gradient().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int size = channels * ah * aw;
        float[][] maps = new float[n][];
        for (int i = 0; i < n; i++) {
            double[] alpha = channelWeights(Arrays.copyOfRange(gradient, i * size, (i + 1) * size), channels);
            double[] cam = cam(Arrays.copyOfRange(activations, i * size, (i + 1) * size), alpha);
            maps[i] = normalise(upsample(cam, ah, aw, height, width));
        }
        return new Maps(classes.clone(), maps, height, width);
    }

    /** α_k: the mean over the positions of each channel's gradient (channel-major, {@code channels} planes). */
    static double[] channelWeights(double[] gradient, int channels) {
        int positions = gradient.length / channels;
        double[] alpha = new double[channels];
        for (int k = 0; k < channels; k++) {
            double sum = 0;
            for (int p = 0; p < positions; p++) {
                sum += gradient[k * positions + p];
            }
            alpha[k] = sum / positions;
        }
        return alpha;
    }

    /** ReLU(Σ_k α_k A_k) over the positions of channel-major activations. */
    static double[] cam(double[] activations, double[] alpha) {
        int positions = activations.length / alpha.length;
        double[] out = new double[positions];
        for (int p = 0; p < positions; p++) {
            double sum = 0;
            for (int k = 0; k < alpha.length; k++) {
                sum += alpha[k] * activations[k * positions + p];
            }
            out[p] = Math.max(0, sum);
        }
        return out;
    }

    /**
     * Bilinear resampling of a row-major {@code inH × inW} map to {@code outH × outW}, pixel centres aligned (an
     * output pixel's centre (x + ½)·inW/outW − ½ in input pixels, clamped to the map: the edges repeat), as
     * image libraries resize.
     */
    static double[] upsample(double[] map, int inH, int inW, int outH, int outW) {
        double[] out = new double[outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = source(y, inH, outH);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, inH - 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = source(x, inW, outW);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, inW - 1);
                double fx = sx - x0;
                double top = (1 - fx) * map[y0 * inW + x0] + fx * map[y0 * inW + x1];
                double bottom = (1 - fx) * map[y1 * inW + x0] + fx * map[y1 * inW + x1];
                out[y * outW + x] = (1 - fy) * top + fy * bottom;
            }
        }
        return out;
    }

    /** Where output pixel {@code i}'s centre falls in the input, clamped to [0, in − 1]. */
    private static double source(int i, int in, int out) {
        double s = (i + 0.5) * in / out - 0.5;
        return Math.min(in - 1, Math.max(0, s));
    }

    /** Divided by its maximum; an all-zero map stays zero. */
    static float[] normalise(double[] map) {
        double max = 0;
        for (double v : map) {
            max = Math.max(max, v);
        }
        float[] out = new float[map.length];
        for (int p = 0; p < map.length; p++) {
            out[p] = max > 0 ? (float) (map[p] / max) : 0f;
        }
        return out;
    }
}
