package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.Arrays;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImagePixelsTest {

    @Test
    void solidRedPngResizedKeepsExactColourInChannelOrder(@TempDir Path dir) throws Exception {
        Path file = ImageFixtures.writeSolid(dir.resolve("red.png"), 20, 30, ImageFixtures.RED);
        byte[] chw = ImagePixels.decodeToChw(Files.readAllBytes(file), new ImageShape(8, 12, 3), "red.png");
        assertEquals(3 * 8 * 12, chw.length);
        ImageFixtures.assertSolid(chw, 8, 12, ImageFixtures.RED, 0, "red.png");
    }

    @Test
    void upscalingIsEnlargedToLargerShape(@TempDir Path dir) throws Exception {
        Path file = ImageFixtures.writeSolid(dir.resolve("blue.jpg"), 5, 7, ImageFixtures.BLUE);
        byte[] chw = ImagePixels.decodeToChw(Files.readAllBytes(file), new ImageShape(16, 16, 3), "blue.jpg");
        ImageFixtures.assertSolid(chw, 16, 16, ImageFixtures.BLUE, ImageFixtures.JPEG_TOLERANCE, "blue.jpg");
    }

    @Test
    void layoutIsChannelsFirstRowMajor() {
        // 2x2: top-left red, top-right green, bottom-left blue, bottom-right white; no resize.
        BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xFF0000);
        image.setRGB(1, 0, 0x00FF00);
        image.setRGB(0, 1, 0x0000FF);
        image.setRGB(1, 1, 0xFFFFFF);
        byte[] chw = ImagePixels.toChw(image, new ImageShape(2, 2, 3));
        int[] unsigned = new int[chw.length];
        for (int i = 0; i < chw.length; i++) {
            unsigned[i] = chw[i] & 0xFF;
        }
        assertArrayEquals(new int[] {
            255, 0, 0, 255,   // R plane
            0, 255, 0, 255,   // G plane
            0, 0, 255, 255,   // B plane
        }, unsigned);
    }

    @Test
    void bilinearUpscaleOfARowMatchesHandComputedWeights() {
        // Centres of the 4 outputs in input coordinates: 0.25, 0.75, 1.25, 1.75 (half-pixel convention);
        // the triangle filter gives 0, 0.25*255, 0.75*255, 255 once clamped to the edges.
        float[] out = ImagePixels.resize(new float[] {0, 255}, 1, 2, 1, 4);
        assertArrayEquals(new float[] {0f, 63.75f, 191.25f, 255f}, out, 1e-4f);
    }

    @Test
    void downscaleWidensTheFilterByTheScale() {
        // 4 -> 2: the first output is centred at 1.0 with support 2, reading inputs 0..2 with
        // triangle weights 0.75, 0.75, 0.25 (normalised by 1.75): 0.25 * 255 / 1.75.
        float[] out = ImagePixels.resize(new float[] {0, 0, 255, 255}, 1, 4, 1, 2);
        assertEquals(255 * 0.25 / 1.75, out[0], 1e-3);
        assertEquals(255 - 255 * 0.25 / 1.75, out[1], 1e-3);
    }

    @Test
    void greyPngKeepsItsValueInEveryChannel() throws Exception {
        BufferedImage grey = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                grey.getRaster().setSample(x, y, 0, 128);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        byte[] chw = ImagePixels.decodeToChw(png.toByteArray(), new ImageShape(3, 3, 3), "grey.png");
        ImageFixtures.assertSolid(chw, 3, 3, 0x808080, 0, "grey.png");
    }

    @Test
    void oneChannelShapeGivesLuma() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, ImageFixtures.GREEN);
            }
        }
        byte[] chw = ImagePixels.toChw(image, new ImageShape(2, 2, 1));
        assertEquals(4, chw.length);
        for (byte b : chw) {
            assertEquals(Math.round(0.587f * 255), b & 0xFF);
        }
    }

    @Test
    void bytesThatAreNotAnImageNameTheFileInOneLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> ImagePixels.decodeToChw(
                "not an image\nat all".getBytes(), new ImageShape(4, 4, 3), "birds/broken.jpg"));
        assertTrue(e.getMessage().startsWith("image birds/broken.jpg: cannot decode"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void truncatedJpegIsBadInput(@TempDir Path dir) throws Exception {
        byte[] jpeg = Files.readAllBytes(ImageFixtures.writeSolid(dir.resolve("a.jpg"), 20, 20, ImageFixtures.RED));
        byte[] truncated = Arrays.copyOf(jpeg, 40);
        BadInputException e = assertThrows(BadInputException.class,
                () -> ImagePixels.decodeToChw(truncated, new ImageShape(4, 4, 3), "a.jpg"));
        assertTrue(e.getMessage().contains("a.jpg"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
