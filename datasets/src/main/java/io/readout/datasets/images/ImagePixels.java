package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.ImageShape;

import javax.imageio.ImageIO;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Turns an encoded image file (JPEG or PNG, via {@code javax.imageio}) into the bytes the
 * examples table stores: resized to an {@link ImageShape}, channels first (CHW), one unsigned
 * byte per value, RGB order for 3 channels and luma for 1. Pure and deterministic; no Spark.
 *
 * <p>Resizing is bilinear with the filter widened by the scale when shrinking (the triangle
 * filter of Pillow's {@code Image.resize(..., BILINEAR)}, which torchvision's {@code Resize} uses
 * on PIL images), so downscaled CelebA/Waterbirds photos do not alias the way two-tap bilinear
 * sampling would. A solid colour stays exactly that colour.
 */
public final class ImagePixels {

    static {
        // Executors decode many images from memory: the default on-disk cache would only add temp files.
        ImageIO.setUseCache(false);
    }

    private ImagePixels() {
    }

    /**
     * Decodes and resizes one image file.
     *
     * @param name names the file in the error when it does not decode
     */
    public static byte[] decodeToChw(byte[] encoded, ImageShape shape, String name) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            // No cause attached: this is thrown on executors and must serialize back to the driver as is.
            throw new BadInputException("image " + name + ": cannot decode as JPEG or PNG (" + oneLine(e) + ")");
        }
        if (image == null) {
            throw new BadInputException("image " + name + ": cannot decode as JPEG or PNG (unrecognised format)");
        }
        return toChw(image, shape);
    }

    /** Resizes a decoded image to {@code shape} and lays it out channels first. */
    public static byte[] toChw(BufferedImage image, ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new IllegalArgumentException("images have 1 (grey) or 3 (RGB) channels, not " + shape.channels());
        }
        int h = image.getHeight();
        int w = image.getWidth();
        float[][] planes = rgbPlanes(image);
        byte[] out = new byte[shape.pixels()];
        int plane = shape.height() * shape.width();
        if (shape.channels() == 3) {
            for (int c = 0; c < 3; c++) {
                float[] resized = resize(planes[c], h, w, shape.height(), shape.width());
                for (int i = 0; i < plane; i++) {
                    out[c * plane + i] = toByte(resized[i]);
                }
            }
        } else {
            // ITU-R BT.601 luma, the weights of Pillow's convert("L").
            float[] luma = new float[h * w];
            for (int i = 0; i < luma.length; i++) {
                luma[i] = 0.299f * planes[0][i] + 0.587f * planes[1][i] + 0.114f * planes[2][i];
            }
            float[] resized = resize(luma, h, w, shape.height(), shape.width());
            for (int i = 0; i < plane; i++) {
                out[i] = toByte(resized[i]);
            }
        }
        return out;
    }

    /**
     * The R, G and B planes (row-major, values 0..255) of an image. Alpha is dropped, not blended.
     * Grey images are read from their raster: {@code getRGB} would map their linear grey
     * colour space to sRGB and brighten every pixel.
     */
    static float[][] rgbPlanes(BufferedImage image) {
        int h = image.getHeight();
        int w = image.getWidth();
        float[][] planes = new float[3][h * w];
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (grey) {
            Raster raster = image.getRaster();
            int bits = image.getColorModel().getComponentSize(0);
            float scale = 255f / ((1 << bits) - 1);
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = Math.round(row[x] * scale);
                    planes[0][y * w + x] = v;
                    planes[1][y * w + x] = v;
                    planes[2][y * w + x] = v;
                }
            }
            return planes;
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            planes[0][i] = (argb[i] >> 16) & 0xFF;
            planes[1][i] = (argb[i] >> 8) & 0xFF;
            planes[2][i] = argb[i] & 0xFF;
        }
        return planes;
    }

    /** Separable resize of one row-major plane: rows first, then columns. */
    static float[] resize(float[] plane, int h, int w, int outH, int outW) {
        if (h == outH && w == outW) {
            return plane.clone();
        }
        Filter horizontal = Filter.of(w, outW);
        float[] rows = new float[h * outW];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < outW; x++) {
                double sum = 0;
                int first = horizontal.first[x];
                double[] weights = horizontal.weights[x];
                for (int k = 0; k < weights.length; k++) {
                    sum += weights[k] * plane[y * w + first + k];
                }
                rows[y * outW + x] = (float) sum;
            }
        }
        Filter vertical = Filter.of(h, outH);
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            int first = vertical.first[y];
            double[] weights = vertical.weights[y];
            for (int x = 0; x < outW; x++) {
                double sum = 0;
                for (int k = 0; k < weights.length; k++) {
                    sum += weights[k] * rows[(first + k) * outW + x];
                }
                out[y * outW + x] = (float) sum;
            }
        }
        return out;
    }

    /**
     * For each output position, the first input position it reads and the normalised triangle
     * weights of the inputs from there on (Pillow's {@code precompute_coeffs} with support 1).
     */
    private record Filter(int[] first, double[][] weights) {
        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double filterScale = Math.max(scale, 1.0);
            double support = filterScale;
            int[] first = new int[out];
            double[][] weights = new double[out][];
            for (int i = 0; i < out; i++) {
                double center = (i + 0.5) * scale;
                int lo = Math.max((int) (center - support + 0.5), 0);
                int hi = Math.min((int) (center + support + 0.5), in);
                double[] w = new double[Math.max(hi - lo, 0)];
                double total = 0;
                for (int j = 0; j < w.length; j++) {
                    double d = Math.abs((j + lo - center + 0.5) / filterScale);
                    w[j] = d < 1.0 ? 1.0 - d : 0.0;
                    total += w[j];
                }
                if (total > 0) {
                    for (int j = 0; j < w.length; j++) {
                        w[j] /= total;
                    }
                }
                first[i] = lo;
                weights[i] = w;
            }
            return new Filter(first, weights);
        }
    }

    private static byte toByte(float v) {
        int x = Math.round(v);
        return (byte) Math.max(0, Math.min(255, x));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
