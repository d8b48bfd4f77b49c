package io.readout.datasets.builders;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class IdxSourceTest {

    @Test
    void fashionDressAndCoatWithTheT10kPartAsTest() {
        List<Example> ex = new IdxSource(HadoopInputs.local(), TestData.fashion(), LabelMap.parse("3,4", null),
                0.1, 0.2, 0).build();
        Map<String, Integer> counts = new HashMap<>();
        ex.forEach(e -> counts.merge(e.split().column() + "/" + e.label(), 1, Integer::sum));
        assertEquals(Map.of("train/0", 5400, "train/1", 5400, "val/0", 600, "val/1", 600,
                "test/0", 1000, "test/1", 1000), counts);
        Example e = ex.get(0);
        assertNull(e.attribute());
        assertEquals(e.label(), e.group().intValue());
        assertEquals(28, e.shape().height());
    }

    @Test
    void aSinglePairIsCutPerClassIntoTestValTrain(@TempDir Path dir) throws Exception {
        TestData.idxFolder(dir, "", 100, 2, true);
        List<Example> ex = new IdxSource(HadoopInputs.local(), dir.toString(), LabelMap.parse(null, "0:1,1:0"),
                0.1, 0.2, 3).build();
        Map<Split, Integer> counts = new HashMap<>();
        ex.forEach(e -> counts.merge(e.split(), 1, Integer::sum));
        assertEquals(Map.of(Split.TRAIN, 70, Split.VAL, 10, Split.TEST, 20), counts);
        for (Example e : ex) {
            int index = Integer.parseInt(e.id().replace("single-", ""));
            assertEquals(index % 2 == 0 ? 1 : 0, e.label(), e.id());
            assertEquals((byte) index, e.image()[5]);
        }
    }
}
