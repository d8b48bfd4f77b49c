package io.readout.jobs.report;

import io.readout.datasets.ImageShape;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PngImagesTest {

    @Test
    void theJetRampRunsFromDarkBlueThroughCyanAndYellowToDarkRed() {
        assertEquals(0x000080, PngImages.jet(0));        // b = 1.5 − 1 = 0.5 → 128
        assertEquals(0x0000ff, PngImages.jet(0.125));
        assertEquals(0x00ffff, PngImages.jet(0.375));
        assertEquals(0x80ff80, PngImages.jet(0.5));      // r = b = 0.5, g = 1
        assertEquals(0xffff00, PngImages.jet(0.625));
        assertEquals(0xff0000, PngImages.jet(0.875));
        assertEquals(0x800000, PngImages.jet(1));
        assertEquals(0x800000, PngImages.jet(7));        // clipped
        assertEquals(0x000080, PngImages.jet(Double.NaN));
        assertEquals("linear-gradient(to right,#000080,#0000ff,#00ffff,#ffff00,#ff0000,#800000)",
                PngImages.jetGradient());
    }

    @Test
    void theOverlayShowsTheInputWhereTheMapIsLowAndTheRampWhereItIsHigh() {
        // map 0: a = 0.25 of dark blue (0, 0, 128/255) over white: 0.75, 0.75, 0.75 + 0.25·128/255 → 191, 191, 223
        assertEquals(0xbfbfdf, PngImages.overlay(1, 0));
        // map 1: a = 0.75 of dark red (128/255, 0, 0) over black: 0.75·128/255 = 0.3765, 0, 0 → 96
        assertEquals(0x600000, PngImages.overlay(0, 1));
        // map 1 over white: 0.25 + 0.3765 = 0.6265 → 160; 0.25 → 64
        assertEquals(0xa04040, PngImages.overlay(1, 1));
    }

    @Test
    void anRgbExampleIsOverlaidOnItsLuma() {
        // 1×2 RGB, CHW: pixel 0 pure green (luma 0.587), pixel 1 white (luma 1)
        float[] chw = {0, 1, 1, 1, 0, 1};
        ImageShape shape = new ImageShape(1, 2, 3);
        assertEquals(0.587, PngImages.grey(chw, shape, 0), 1e-6);
        assertEquals(1, PngImages.grey(chw, shape, 1), 1e-6);
        BufferedImage img = PngImages.overlay(chw, shape, new float[] {0, 1});
        assertEquals(PngImages.overlay(0.587, 0), img.getRGB(0, 0) & 0xffffff);
        assertEquals(0xa04040, img.getRGB(1, 0) & 0xffffff);
    }

    @Test
    void anExampleRoundTripsThroughAPngDataUri() throws Exception {
        // 2×3 RGB, CHW: red plane, green plane, blue plane
        float[] chw = {1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0.5f, 1, 0, 0, 1, 0, 0, 1};
        String uri = PngImages.dataUri(PngImages.example(chw, new ImageShape(2, 3, 3)));
        assertTrue(uri.startsWith("data:image/png;base64,"));
        BufferedImage back = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                uri.substring("data:image/png;base64,".length()))));
        assertEquals(3, back.getWidth());
        assertEquals(2, back.getHeight());
        assertEquals(0xff0000, back.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, back.getRGB(1, 0) & 0xffffff);
        assertEquals(0x0000ff, back.getRGB(2, 0) & 0xffffff);
        assertEquals(0x000000, back.getRGB(0, 1) & 0xffffff);
        assertEquals(0x008000, back.getRGB(1, 1) & 0xffffff);   // 0.5 → 128
        assertEquals(0xffffff, back.getRGB(2, 1) & 0xffffff);
    }

    @Test
    void oneChannelIsGrey() {
        BufferedImage img = PngImages.example(new float[] {0, 0.2f, 1, 0.6f}, new ImageShape(2, 2, 1));
        assertEquals(0x333333, img.getRGB(1, 0) & 0xffffff);    // 0.2 → 51
        assertEquals(0x999999, img.getRGB(1, 1) & 0xffffff);    // 0.6 → 153
    }
}
