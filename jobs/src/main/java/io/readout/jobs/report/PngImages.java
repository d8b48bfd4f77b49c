package io.readout.jobs.report;

import io.readout.datasets.ImageShape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;

/**
 * Images for the report as {@code data:image/png;base64,…} URIs (javax.imageio), so the page needs no
 * other file: an example's pixels as stored in the examples table (CHW, values in [0, 1]; one channel
 * is grey, three are RGB, other counts show their first channel) and a Grad-CAM map in [0, 1] over the
 * example in grey on the "jet" ramp. Images keep their native size; the page scales them up.
 */
public final class PngImages {
    /** The share of the map's colour in an overlaid pixel where the map is 0; it grows by {@value #OVERLAY_SPAN} to 1. */
    static final double OVERLAY_MIN = 0.25;
    static final double OVERLAY_SPAN = 0.5;

    private PngImages() {
    }

    /** An example's image from its CHW values in [0, 1]. */
    public static BufferedImage example(float[] chw, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                int r = byteOf(chw[p]);
                int g = shape.channels() == 3 ? byteOf(chw[plane + p]) : r;
                int b = shape.channels() == 3 ? byteOf(chw[2 * plane + p]) : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    /**
     * A Grad-CAM map in [0, 1] ({@code height·width}, row-major, the example's size) over the example in grey: each
     * pixel is (1 − a)·grey + a·{@link #jet}(map) with a = {@value #OVERLAY_MIN} + {@value #OVERLAY_SPAN}·map, so
     * the input shows through where the map is low and the colour dominates where it is high.
     */
    public static BufferedImage overlay(float[] chw, ImageShape shape, float[] map) {
        int h = shape.height();
        int w = shape.width();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                img.setRGB(x, y, overlay(grey(chw, shape, p), map[p]));
            }
        }
        return img;
    }

    /** One overlaid pixel: grey in [0, 1] under the map value's colour. */
    static int overlay(double grey, double value) {
        double v = clip(value);
        double a = OVERLAY_MIN + OVERLAY_SPAN * v;
        int c = jet(v);
        int r = byteOf((1 - a) * grey + a * ((c >> 16) & 0xff) / 255.0);
        int g = byteOf((1 - a) * grey + a * ((c >> 8) & 0xff) / 255.0);
        int b = byteOf((1 - a) * grey + a * (c & 0xff) / 255.0);
        return (r << 16) | (g << 8) | b;
    }

    /** A pixel's grey level in [0, 1]: its one channel, or the luma of RGB (ITU-R BT.601 weights). */
    static double grey(float[] chw, ImageShape shape, int p) {
        int plane = shape.height() * shape.width();
        if (shape.channels() != 3) {
            return clip(chw[p]);
        }
        return clip(0.299 * chw[p] + 0.587 * chw[plane + p] + 0.114 * chw[2 * plane + p]);
    }

    /** The "jet" ramp: dark blue (0) → blue → cyan → yellow → red → dark red (1), piecewise linear. */
    static int jet(double t) {
        double v = clip(t);
        int r = byteOf(1.5 - Math.abs(4 * v - 3));
        int g = byteOf(1.5 - Math.abs(4 * v - 2));
        int b = byteOf(1.5 - Math.abs(4 * v - 1));
        return (r << 16) | (g << 8) | b;
    }

    /** The ramp as a CSS gradient, for the page's legend: {@link #jet} at its corners. */
    static String jetGradient() {
        StringBuilder b = new StringBuilder("linear-gradient(to right");
        for (double t : new double[] {0, 0.125, 0.375, 0.625, 0.875, 1}) {
            b.append(String.format(Locale.ROOT, ",#%06x", jet(t)));
        }
        return b.append(')').toString();
    }

    private static double clip(double v) {
        return Double.isNaN(v) ? 0 : Math.min(1, Math.max(0, v));
    }

    private static int byteOf(double v) {
        return (int) Math.round(255 * Math.min(1, Math.max(0, v)));
    }

    public static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String dataUri(BufferedImage img) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(img));
    }
}
