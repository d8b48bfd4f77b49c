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
    void theHotScaleRunsFromBlackThroughRedAndYellowToWhite() {
        assertEquals(0x000000, PngImages.hot(0));
        assertEquals(0xff0000, PngImages.hot(1 / 3.0));
        assertEquals(0xff8000, PngImages.hot(0.5));     // g = 255·(1.5 − 1) = 127.5 → 128
        assertEquals(0xffff00, PngImages.hot(2 / 3.0));
        assertEquals(0xffffff, PngImages.hot(1));
        assertEquals(0xffffff, PngImages.hot(7));       // clipped
        assertEquals(0x000000, PngImages.hot(Double.NaN));
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
