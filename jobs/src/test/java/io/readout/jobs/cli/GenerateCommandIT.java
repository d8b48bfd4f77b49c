package io.readout.jobs.cli;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.text.CivilCommentsSource;
import io.readout.datasets.text.SyntheticComment;
import io.readout.datasets.text.SyntheticComments;
import io.readout.datasets.text.WildsCommentsCsv;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout generate} then {@code readout prepare --dataset civilcomments} on its folder: the same comments. */
class GenerateCommandIT extends SharedSparkSession {

    @Test
    void prepareReadsBackEveryGeneratedCommentWithItsSplitGroupAndExactText(@TempDir Path tmp) throws Exception {
        Path generated = tmp.resolve("cc-gen");
        CliRun gen = CliRun.of("generate", "--dataset", "civilcomments", "--out", generated.toString(), "--n-train",
                "400", "--n-val", "100", "--n-test", "160", "--rho", "0.9", "--noise", "0.05", "--seed", "11");
        assertEquals(0, gen.code(), gen.err());
        SyntheticComments.Options options = new SyntheticComments.Options(400, 100, 160, 0.9, 0.05, 24, 12, 30, 11);
        List<SyntheticComment> comments = SyntheticComments.generate(options);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        WildsCommentsCsv.write(comments, expected);
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(generated.resolve(CivilCommentsSource.FILE)),
                "the file holds the comments generated in-process");

        String prepared = tmp.resolve("cc").toString();
        CliRun prep = CliRun.of("prepare", "--dataset", "civilcomments", "--source", generated.toString(), "--out",
                prepared, "--shards", "1");
        assertEquals(0, prep.code(), prep.err());

        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(prepared + "/examples").collectAsList()) {
            rows.put(r.getAs("id"), r);
        }
        assertEquals(comments.size(), rows.size());
        for (SyntheticComment c : comments) {
            Row r = rows.get("cc-" + c.id());
            assertNotNull(r, "cc-" + c.id());
            assertEquals(List.of(c.split().column(), c.label(), c.attribute(), c.group(), c.text()),
                    List.of(r.getAs("split"), r.getAs("label"), r.getAs("attribute"), r.getAs("group"),
                            r.getAs("text")), "comment " + c.id());
            assertNull(r.getAs("text_pair"));
        }

        // The awkward texts were among those compared.
        Map<String, Predicate<String>> awkward = Map.of("comma", t -> t.contains(","), "quote", t -> t.contains("\""),
                "line break", t -> t.contains("\n"), "apostrophe", t -> t.contains("'"),
                "non-ASCII", t -> t.chars().anyMatch(ch -> ch > 127));
        awkward.forEach((name, has) -> assertTrue(comments.stream().anyMatch(c -> has.test(c.text())), name));

        // Both summaries count the same groups per split.
        Map<?, ?> generatedCounts = (Map<?, ?>) Json.readObject(
                Files.readString(generated.resolve(GenerateCommand.SUMMARY)), "generate.json").get("counts");
        Map<?, ?> preparedCounts = (Map<?, ?>) Json.readObject(
                Files.readString(tmp.resolve("cc/dataset.json")), "dataset.json").get("counts");
        for (String split : List.of("train", "val", "test")) {
            Map<?, ?> g = (Map<?, ?>) generatedCounts.get(split);
            Map<?, ?> p = (Map<?, ?>) preparedCounts.get(split);
            assertEquals(List.of(g.get("total"), g.get("groups")), List.of(p.get("total"), p.get("groups")), split);
        }
        assertEquals(Map.of("total", 400, "groups", Map.of("0", 180, "1", 20, "2", 20, "3", 180), "noisy", 20),
                generatedCounts.get("train"));
    }
}
