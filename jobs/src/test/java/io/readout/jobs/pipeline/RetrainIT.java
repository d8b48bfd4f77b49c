package io.readout.jobs.pipeline;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout retrain} against a registry on the local file system: a first run promotes v000001, a run
 * on changed data (warm-started from it) promotes v000002, and a run whose validation worst-group accuracy
 * falls short of the current version's is refused and says why; the registry ends with two versions, one
 * current pointer and three decisions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetrainIT extends SharedSparkSession {
    @TempDir
    static Path tmp;

    private static Path registry() {
        return tmp.resolve("registry");
    }

    private static CliRun retrain(String... extra) throws IOException {
        Path config = tmp.resolve("pipeline.json");
        if (!Files.exists(config)) {
            Files.writeString(config, """
                    {"out": "%s", "seed": 3,
                     "prepare": {"dataset": "synthetic", "n-train": 256, "n-val": 64, "n-test": 64, "shards": 2},
                     "train": {"epochs": 1, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2,
                               "eval-batch": 64},
                     "teacher": {"arch": "student"},
                     "students": {"arch": "student", "methods": ["erm"]},
                     "report": false,
                     "retrain": {"candidate": "students/erm", "warm_start": true}}
                    """.formatted(tmp.resolve("root")));
        }
        List<String> args = new ArrayList<>(List.of("retrain", "--config", config.toString(), "--registry",
                registry().toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static List<Map<String, Object>> decisions() throws IOException {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> d = (List<Map<String, Object>>) Json.readObject(
                Files.readString(registry().resolve("history.json")), "history").get("decisions");
        return d;
    }

    private static String current() throws IOException {
        return Files.readString(registry().resolve("current")).strip();
    }

    @Test
    @Order(1)
    void theFirstRunIsPromoted() throws IOException {
        CliRun run = retrain();
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("current (none)"), run.out());
        assertTrue(run.out().contains("candidate: students/erm"), run.out());
        assertTrue(run.out().contains("promoted v000001"), run.out());
        assertEquals("v000001", current());
        assertTrue(Files.exists(registry().resolve("versions/v000001/model.zip")));
    }

    @Test
    @Order(2)
    void aRunOnChangedDataIsWarmStartedAndPromotedWithinTolerance() throws IOException {
        CliRun run = retrain("--set", "prepare.n-train=224", "--tolerance", "1", "--accuracy-tolerance", "1");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("warm start: students/erm from v000001"), run.out());
        assertTrue(run.out().contains("prepare: done in"), "the data changed: prepare ran again\n" + run.out());
        Map<String, Object> config = Json.readObject(
                Files.readString(tmp.resolve("root/students/erm/config.json")), "config");
        assertTrue(String.valueOf(config.get("init")).endsWith("versions/v000001/model.zip"), config.toString());
        assertTrue(run.out().contains("promoted v000002"), run.out());
        assertEquals("v000002", current());
    }

    @Test
    @Order(3)
    void aRunWorseThanTheToleranceIsRefusedAndSaysWhy() throws IOException {
        // The promoted model as if it had been much better on validation than anything this data allows.
        Path val = registry().resolve("versions/v000002/metrics/val.json");
        Map<String, Object> metrics = Json.readObject(Files.readString(val), "val");
        metrics.put("worst_group_accuracy", 1.0);
        Files.writeString(val, Json.write(metrics));
        Files.deleteIfExists(val.resolveSibling(".val.json.crc"));

        CliRun run = retrain("--set", "prepare.n-train=208");
        assertEquals(0, run.code(), run.err() + run.out());
        assertTrue(run.out().contains("not promoted, v000002 stays current: val worst-group accuracy "), run.out());
        assertTrue(run.out().contains("< 1.000 - 0.000 (v000002)"), run.out());
        assertEquals("v000002", current());
        List<Map<String, Object>> d = decisions();
        assertEquals(3, d.size());
        assertEquals(List.of("accepted", "accepted", "refused"), d.stream().map(e -> e.get("decision")).toList());
        try (var versions = Files.list(registry().resolve("versions"))) {
            assertEquals(List.of("v000001", "v000002"), versions.map(p -> p.getFileName().toString())
                    .filter(n -> !n.startsWith(".")).sorted().toList());
        }
    }
}
