package io.readout.jobs.report;

import io.readout.datasets.ImageShape;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Images for the report as {@code data:image/png;base64,…} URIs (javax.imageio), so the page needs no
 * other file: an example's pixels as stored in the examples table (CHW, values in [0, 1]; one channel
 * is grey, three are RGB, other counts show their first channel) and a saliency map in [0, 1] on a
 * black–red–yellow–white ("hot") scale. Images keep their native size; the page scales them up.
 */
public final class PngImages {
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

    /** A map in [0, 1] ({@code height·width}, row-major) on the "hot" scale. */
    public static BufferedImage heat(float[] map, int height, int width) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, hot(map[y * width + x]));
            }
        }
        return img;
    }

    /** Black (0) → red → yellow → white (1). */
    static int hot(double t) {
        double v = Math.min(1, Math.max(0, Double.isNaN(t) ? 0 : t));
        int r = byteOf(3 * v);
        int g = byteOf(3 * v - 1);
        int b = byteOf(3 * v - 2);
        return (r << 16) | (g << 8) | b;
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
