package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load on the registry: N {@code readout retrain} processes ({@link ChildJvm}, each its own driver JVM,
 * {@code local[2]}) started together, each with its own pipeline root and seed, all on one registry on
 * the local file system and one prepared dataset (the config's {@code data}: no prepare stage). With
 * {@code --tolerance 0} and seeds 0..N-1 some candidates are refused. Checked afterwards: every process
 * exited 0 (3 would be a lock timeout: none with {@code --lock-timeout 10m}), history.json has N decisions,
 * each names the version that was current when it decided (the last accepted one before it in history
 * order, none for the first), accepted versions are distinct and each has a complete folder
 * ({@code _SUCCESS}), the version folders are exactly the accepted versions (one promotion per accepted
 * decision), {@code current} names the last accepted version, and each process printed the decision
 * history.json records for it. Figures go to stdout as a {@code retrain-load:} line.
 *
 * <p>N is {@code -Dreadout.reliability.retrains} (default 3); {@code -Dreadout.reliability.full=true}
 * makes the default 8 (docs/RELIABILITY.md).
 */
class RetrainLoadIT extends SharedSparkSession {
    @TempDir
    static Path tmp;

    static int processes() {
        String n = System.getProperty("readout.reliability.retrains");
        if (n != null && !n.isBlank()) {
            return Integer.parseInt(n.strip());
        }
        return Boolean.getBoolean("readout.reliability.full") ? 8 : 3;
    }

    static String config(Path root, Path data, int seed) {
        return """
                {"out": "%s", "seed": %d, "data": "%s",
                 "train": {"epochs": 1, "batch": 32, "lr": 0.01, "workers": 2, "averaging-frequency": 2,
                           "eval-batch": 64},
                 "teacher": {"arch": "student"},
                 "students": {"arch": "student", "methods": ["erm"]},
                 "report": false,
                 "retrain": {"candidate": "students/erm"}}
                """.formatted(root, seed, data);
    }

    @Test
    @SuppressWarnings("unchecked")
    void concurrentRetrainsDecideOneAtATimeAndPromoteOncePerAcceptedDecision() throws Exception {
        int n = processes();
        Path data = tmp.resolve("data");
        CliRun prepared = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "128", "--n-val", "64",
                "--n-test", "64", "--shards", "2", "--out", data.toString(), "--seed", "0");
        assertEquals(0, prepared.code(), prepared.err());
        Path registry = tmp.resolve("registry");
        Path logs = tmp.resolve("logs");

        long start = System.nanoTime();
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Path config = Files.writeString(tmp.resolve("pipeline-" + i + ".json"),
                        config(tmp.resolve("root-" + i), data, i));
                children.add(ChildJvm.readout(logs, "retrain-" + i, "768m", "retrain", "--config", config.toString(),
                        "--registry", registry.toString(), "--set", "report=false", "--tolerance", "0",
                        "--lock-timeout", "10m"));
            }
            for (int i = 0; i < n; i++) {
                ChildJvm c = children.get(i);
                int code = c.waitFor(Duration.ofMinutes(20));
                assertEquals(0, code, "retrain-" + i + " exited " + code + (code == 3 ? " (registry lock timeout)" : "")
                        + "\nstdout:\n" + c.out() + "\nstderr:\n" + tail(c.err()));
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Map<String, Object>> history = (List<Map<String, Object>>) Json.readObject(
                Files.readString(registry.resolve("history.json")), "history").get("decisions");
        assertEquals(n, history.size(), history.toString());
        String current = null;
        List<String> accepted = new ArrayList<>();
        Set<String> candidates = new HashSet<>();
        for (int k = 0; k < n; k++) {
            Map<String, Object> d = history.get(k);
            assertEquals(current, d.get("current"), "decision " + k + " compared with the version current then: " + d);
            assertTrue(candidates.add(String.valueOf(d.get("candidate"))), "one decision per run: " + d);
            if ("accepted".equals(d.get("decision"))) {
                String v = (String) d.get("version");
                assertNotNull(v, d.toString());
                assertFalse(accepted.contains(v), "a version promoted twice: " + v);
                assertTrue(Files.exists(registry.resolve("versions").resolve(v).resolve("_SUCCESS")), v);
                assertTrue(Files.exists(registry.resolve("versions").resolve(v).resolve("model.zip")), v);
                accepted.add(v);
                current = v;
            } else {
                assertEquals("refused", d.get("decision"), d.toString());
                assertEquals(null, d.get("version"), d.toString());
            }
        }
        assertFalse(accepted.isEmpty());
        List<String> folders;
        try (Stream<Path> vs = Files.list(registry.resolve("versions"))) {
            folders = vs.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(accepted.stream().sorted().toList(), folders, "version folders (no temporaries left)");
        assertEquals(current, Files.readString(registry.resolve("current")).strip());
        assertFalse(Files.exists(registry.resolve("lock")), "lock left");

        // Each process printed the decision recorded for its candidate.
        for (int i = 0; i < n; i++) {
            String out = children.get(i).out();
            String run = tmp.resolve("root-" + i).resolve("students/erm").toString();
            Map<String, Object> d = history.stream().filter(e -> String.valueOf(e.get("candidate")).endsWith(run))
                    .findFirst().orElseThrow(() -> new AssertionError("no decision for " + run + ": " + history));
            String said = "accepted".equals(d.get("decision")) ? "promoted " + d.get("version")
                    : "not promoted, " + (d.get("current") == null ? "nothing" : d.get("current")) + " stays current";
            assertTrue(out.contains(said), "retrain-" + i + " should say '" + said + "':\n" + out);
        }
        System.out.printf("retrain-load: processes %d, decisions %d, promotions %d (%s), refusals %d, current %s,"
                        + " wall time %.1f s%n", n, history.size(), accepted.size(), String.join(" ", accepted),
                n - accepted.size(), current, seconds);
    }

    private static String tail(String s) {
        return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
    }
}
