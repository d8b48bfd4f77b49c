package io.readout.jobs.prepare;

import io.readout.jobs.TestResources;

import io.readout.common.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code dataset.json} as the code before the typed records wrote it ({@code today/}, written by that code from
 * these inputs): written byte for byte the same.
 */
class PrepareFilesTest {
    private static final SourceOptions OPTIONS = new SourceOptions(null, null, null, null, null, 0.9,
            List.of("red", "green"), null, null, null, 100, 20, 20, null, 0.1, null, null, null, null, null, null, null,
            null, null, null, null, List.of(), null, null, null, null, null);
    private static final PrepareConfig CONFIG = new PrepareConfig("dominoes", "/data/d", 4, 7, false, OPTIONS);

    static String fixture(String name) throws IOException {
        return TestResources.text(PrepareFilesTest.class, "today/" + name);
    }

    private static PrepareJob.Counts counts() {
        Map<String, Map<Integer, Long>> bySplit = new LinkedHashMap<>();
        bySplit.put("train", new TreeMap<>(Map.of(-1, 3L, 0, 50L, 1, 47L)));
        bySplit.put("val", new TreeMap<>(Map.of(0, 10L, 1, 10L)));
        bySplit.put("test", new TreeMap<>(Map.of(0, 9L, 1, 11L)));
        return new PrepareJob.Counts(bySplit, List.of(), 2);
    }

    @Test
    void theConfigAndCountsAreWrittenAsBefore() throws IOException {
        assertEquals(fixture("prepare-config.json"), Json.write(CONFIG.describe()));
        assertEquals(fixture("counts.json"), Json.write(counts().toJson()));
    }

    @Test
    void datasetJsonIsWrittenAsBefore() throws IOException {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("kind", "dominoes");
        image.put("image_shape", List.of(3, 28, 56));
        image.put("rho", 0.9);
        image.put("palette", List.of("red", "green"));
        image.put("files", Map.of("mnist", "/m"));
        image.put("note", null);
        assertEquals(fixture("dataset-image.json"),
                Json.write(PrepareJob.DatasetJson.of(CONFIG, "dominoes", image, counts(), null)));
        Map<String, Object> noShape = new HashMap<>();
        noShape.put("kind", "images");
        assertEquals(fixture("dataset-image-no-shape.json"),
                Json.write(PrepareJob.DatasetJson.of(CONFIG, "images", noShape, counts(), null)));
        Map<String, Object> vector = new LinkedHashMap<>();
        vector.put("kind", "synthetic");
        vector.put("n_train", 100);
        vector.put("noise", 0.25);
        assertEquals(fixture("dataset-vector.json"),
                Json.write(PrepareJob.DatasetJson.of(CONFIG, "synthetic", vector, counts(), 16)));
    }
}
