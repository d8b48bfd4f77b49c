package io.readout.datasets.images;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes tiny solid-colour images as JPEG or PNG (by file extension) for the image dataset tests. */
public final class ImageFixtures {
    public static final int RED = 0xFF0000;
    public static final int GREEN = 0x00FF00;
    public static final int BLUE = 0x0000FF;

    /** JPEG is lossy: a decoded solid colour may be off by a little in each channel. */
    public static final int JPEG_TOLERANCE = 4;

    private ImageFixtures() {
    }

    /** A solid {@code rgb} image of {@code height x width}; the format follows the extension (.png, else JPEG). */
    public static Path writeSolid(Path file, int height, int width, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        String format = file.getFileName().toString().toLowerCase().endsWith(".png") ? "png" : "jpg";
        try {
            Files.createDirectories(file.getParent());
            if (!ImageIO.write(image, format, file.toFile())) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** A distinct solid colour for image number {@code i}, away from pure red/green/blue. */
    public static int colour(int i) {
        return ((40 + 15 * i) << 16) | ((200 - 13 * i) << 8) | (90 + 11 * i);
    }

    /** Asserts that every pixel of CHW bytes has the given colour, within {@code tolerance} per channel. */
    public static void assertSolid(byte[] chw, int height, int width, int rgb, int tolerance, String what) {
        int plane = height * width;
        if (chw.length != 3 * plane) {
            throw new AssertionError(what + ": " + chw.length + " bytes, expected " + 3 * plane);
        }
        int[] expected = {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                int v = chw[c * plane + i] & 0xFF;
                if (Math.abs(v - expected[c]) > tolerance) {
                    throw new AssertionError(what + ": channel " + c + " pixel " + i + " is " + v + ", expected "
                            + expected[c] + " +- " + tolerance);
                }
            }
        }
    }
}
