package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.datasets.Example;
import io.readout.datasets.Split;
import io.readout.datasets.TestData;
import io.readout.datasets.idx.LabelMap;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ColoredSourceTest {

    @Test
    void tintScalesEachChannelByTheColour() {
        // v * rgb / 255, rounded: 255 -> rgb itself, 128 * 200 / 255 = 100.4 -> 100, 0 -> 0.
        byte[] out = ColoredSource.tint(new byte[] {(byte) 255, (byte) 128, 0}, new int[] {200, 0, 51});
        assertArrayEquals(new byte[] {(byte) 200, 100, 0, 0, 0, 0, 51, 26, 0}, out);
    }

    @Test
    void trainColourAgreesAtRhoAndEvalSplitsAreBalanced(@TempDir Path dir) throws Exception {
        TestData.idxFolder(dir, "train-", 400, 2, true);
        TestData.idxFolder(dir, "t10k-", 80, 2, true);
        List<Example> ex = new ColoredSource(HadoopInputs.local(), dir.toString(), null, 0.9,
                List.of("ff0000", "00ff00", "0000ff", "ffffff"), 0.25, 0.2, 0).build();
        Map<String, Integer> counts = new HashMap<>();
        ex.forEach(e -> counts.merge(e.split().column() + "/" + e.label() + "/" + e.attribute(), 1, Integer::sum));
        // 200 train images per class, 50 held out for val: 150 train, round(0.9 * 150) = 135 agree.
        assertEquals(135, counts.get("train/0/0"));
        assertEquals(135, counts.get("train/1/1"));
        assertEquals(15, counts.get("train/0/1") + counts.get("train/0/2") + counts.get("train/0/3"));
        // val: 50 per class over 4 colours -> 12 or 13 each; test: 40 per class -> 10 each.
        for (int label = 0; label < 2; label++) {
            for (int c = 0; c < 4; c++) {
                int v = counts.get("val/" + label + "/" + c);
                assertEquals(true, v == 12 || v == 13, "val " + label + "/" + c + " = " + v);
                assertEquals(10, counts.get("test/" + label + "/" + c));
            }
        }
        Example first = ex.stream().filter(e -> e.split() == Split.TEST && e.attribute() == 2).findFirst().orElseThrow();
        assertEquals(3, first.shape().channels());
        assertEquals(4 * first.label() + 2, first.group().intValue());
        int v = first.image()[2 * 16] & 0xff; // blue channel, first pixel: the grey value itself
        assertEquals(0, first.image()[0]);
        assertEquals(0, first.image()[16]);
        assertEquals(Integer.parseInt(first.id().replaceAll("^t10k-(\\d{5}).*$", "$1")) % 256, v);
    }

    @Test
    void aPaletteSmallerThanTheClassesIsRefused(@TempDir Path dir) throws Exception {
        TestData.idxFolder(dir, "", 60, 3, false);
        ColoredSource source = new ColoredSource(HadoopInputs.local(), dir.toString(), LabelMap.parse("0,1,2", null),
                0.9, List.of("ff0000", "00ff00"), 0.1, 0.2, 0);
        assertEquals("--palette has 2 colours, the data has 3 classes: give at least one colour per class",
                assertThrows(BadInputException.class, source::build).getMessage());
        assertEquals("--palette: 'red' is not an RRGGBB hex colour", assertThrows(BadInputException.class,
                () -> new ColoredSource(HadoopInputs.local(), dir.toString(), null, 0.9, List.of("red"), 0.1, 0.2, 0))
                .getMessage());
    }
}
