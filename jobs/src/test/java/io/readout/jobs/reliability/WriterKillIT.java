package io.readout.jobs.reliability;

import io.readout.common.Json;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.registry.CandidateRuns;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.train.Checkpoints;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Atomic outputs under SIGKILL: a child JVM ({@link KilledWriter}) writes tables, models, checkpoints,
 * registry decisions and a JSON file in a loop and is killed after a seeded random delay, again and
 * again in the same folders; after every kill every output a reader can see is checked whole (a table
 * with {@code _SUCCESS} has its rows, a model loads with the parameters of one cycle, a checkpoint
 * with {@code _SUCCESS} holds its epoch's model, history and state, the registry pointer names a
 * complete version, the JSON parses) and nothing earlier is lost (a model, the newest checkpoint, a
 * registry decision or version once seen is still there). A last child then runs whole cycles after
 * the kills and must leave every output complete and the registry's history with every decision.
 *
 * <p>{@code -Dreadout.reliability.kills=N} (default 2 in {@code mvn verify}; docs/RELIABILITY.md runs 24),
 * {@code -Dreadout.reliability.seed=S} (default 9). Figures go to stdout as one {@code writer-kill:} line.
 */
class WriterKillIT extends SharedSparkSession {
    @TempDir
    static Path tmp;

    /** What the checks have seen so far, to tell a loss from an output never written. */
    private static final class Seen {
        boolean model;
        int newestCheckpoint;
        int decisions;
        final Set<String> versions = new HashSet<>();
        long rows;
        long files;
        int recoveredTables;
        int pendingDecisions;
        int staleLocks;
        final List<String> violations = new ArrayList<>();
    }

    @Test
    void everyOutputSurvivesRandomKillsWholeOrNotAtAll() throws Exception {
        int kills = Integer.getInteger("readout.reliability.kills", 2);
        long seed = Long.getLong("readout.reliability.seed", 9);
        Path root = tmp.resolve("root");
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        double[] wga = {0.50, 0.60, 0.55, 0.70};
        for (int c = 0; c < KilledWriter.CANDIDATES; c++) {
            CandidateRuns.write(conf, root.resolve("candidates/c" + c).toString(), wga[c], 0.9);
        }
        Random random = new Random(seed);
        Seen seen = new Seen();
        Map<String, Integer> killedIn = new TreeMap<>();
        long t0 = System.nanoTime();
        int next = 1;
        for (int k = 0; k < kills; k++) {
            try (ChildJvm child = ChildJvm.start(tmp.resolve("logs"), "writer-" + k, "1g", List.of(
                    KilledWriter.class.getName(), root.toString(), String.valueOf(next), "0"))) {
                assertTrue(child.awaitOut("ready", Duration.ofSeconds(90)), "the writer did not start:\n" + child.err());
                ChildJvm.sleep(random.nextInt(6000));
                assertTrue(child.alive(), "the writer died by itself:\n" + child.err());
                child.kill();
                List<String> lines = child.out().lines().toList();
                String last = lines.get(lines.size() - 1);
                killedIn.merge(last.startsWith("cycle ") ? last.substring(last.lastIndexOf(' ') + 1) : "between cycles",
                        1, Integer::sum);
                int done = lines.stream().filter(l -> l.startsWith("done ")).mapToInt(l -> Integer.parseInt(l.substring(5)))
                        .max().orElse(next - 1);
                next = done + 1;
            }
            check(root, conf, seen, next - 1, false);
        }
        // After the kills: whole cycles again, over every table, then everything must be complete.
        try (ChildJvm child = ChildJvm.start(tmp.resolve("logs"), "writer-final", "1g", List.of(
                KilledWriter.class.getName(), root.toString(), String.valueOf(next), String.valueOf(KilledWriter.TABLES)))) {
            assertEquals(0, child.waitFor(Duration.ofMinutes(3)), child.err());
        }
        next += KilledWriter.TABLES;
        check(root, conf, seen, next - 1, true);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("writer-kill: kills %d, seed %d, killed in %s, survivors checked: %d files, %d rows;"
                        + " tables restored by the next writer %d, decisions recovered %d, dead locks broken %d;"
                        + " cycles %d; violations %d; %.0f s%n", kills, seed, killedIn, seen.files, seen.rows,
                seen.recoveredTables, seen.pendingDecisions, seen.staleLocks, next - 1, seen.violations.size(), seconds);
        assertEquals(List.of(), seen.violations);
    }

    /** Checks every visible output after a kill ({@code settled}: after a run that finished). */
    private static void check(Path root, Configuration conf, Seen seen, int newestDone, boolean settled)
            throws IOException {
        checkTables(root, seen, settled);
        checkRun(root, conf, seen);
        checkRegistry(root, seen, settled);
        Path bench = root.resolve("bench.json");
        if (Files.exists(bench)) {
            Map<String, Object> b = Json.readObject(Files.readString(bench), bench.toString());
            seen.files++;
            if (((Number) b.get("gen")).intValue() > newestDone + 1) {
                seen.violations.add("bench.json from a cycle not yet run: " + b.get("gen"));
            }
        }
    }

    private static void checkTables(Path root, Seen seen, boolean settled) throws IOException {
        Path tables = root.resolve("tables");
        if (!Files.exists(tables)) {
            return;
        }
        Set<String> visible = new HashSet<>();
        Set<String> asideComplete = new HashSet<>();
        try (Stream<Path> s = Files.list(tables)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.contains(".old-") && Files.exists(p.resolve("_SUCCESS"))) {
                    asideComplete.add(n.substring(1, n.indexOf(".old-")));
                }
                if (n.startsWith(".")) {
                    continue;
                }
                visible.add(n);
                if (!Files.exists(p.resolve("_SUCCESS"))) {
                    seen.violations.add("a table without _SUCCESS is visible: " + p);
                    continue;
                }
                Map<String, Object> meta = Json.readObject(Files.readString(p.resolve("meta.json")), p + "/meta.json");
                Row r = spark.read().parquet(p.resolve("rows").toString()).agg(
                        org.apache.spark.sql.functions.count("gen"), min("gen"), max("gen")).first();
                int gen = ((Number) meta.get("gen")).intValue();
                long rows = ((Number) meta.get("rows")).longValue();
                if (r.getLong(0) != rows || r.getInt(1) != gen || r.getInt(2) != gen
                        || rows != KilledWriter.rows(gen)) {
                    seen.violations.add(p + ": " + r + " but meta.json says " + meta);
                }
                seen.rows += r.getLong(0);
                seen.files++;
            }
        }
        for (String t : asideComplete) {
            if (!visible.contains(t)) {
                // Killed inside commit(): the earlier table is aside; the next writer of it puts it back.
                seen.recoveredTables++;
                if (settled) {
                    seen.violations.add(t + " was left aside after the final run");
                }
            }
        }
        if (settled && visible.size() != KilledWriter.TABLES) {
            seen.violations.add("after the final run the tables are " + visible);
        }
    }

    private static void checkRun(Path root, Configuration conf, Seen seen) throws IOException {
        RunDir run = new RunDir(conf, root.resolve("run").toString());
        if (run.exists(RunDir.MODEL)) {
            seen.model = true;
            requireUniform(run, RunDir.MODEL, null, seen);
            Map<String, Object> h = Json.readObject(run.readText(RunDir.HISTORY), "history.json");
            seen.files += 2;
            if (((List<?>) h.get("epochs")).size() != ((Number) h.get("gen")).intValue()) {
                seen.violations.add("history.json is not whole: " + h.get("gen"));
            }
        } else if (seen.model) {
            seen.violations.add("model.zip was lost");
        }
        Integer last = Checkpoints.last(run);
        if (last == null) {
            if (seen.newestCheckpoint > 0) {
                seen.violations.add("every checkpoint was lost (newest seen: " + seen.newestCheckpoint + ")");
            }
            return;
        }
        if (last < seen.newestCheckpoint) {
            seen.violations.add("the newest checkpoint went back from " + seen.newestCheckpoint + " to " + last);
        }
        seen.newestCheckpoint = Math.max(seen.newestCheckpoint, last);
        String cp = Checkpoints.dir(last);
        requireUniform(run, cp + "/" + RunDir.MODEL, last, seen);
        List<?> history = (List<?>) Json.mapper().readValue(run.readText(cp + "/" + RunDir.HISTORY), List.class);
        Map<String, Object> state = Json.readObject(run.readText(cp + "/" + Checkpoints.state()), "state.json");
        seen.files += 3;
        if (history.size() != last || ((Number) state.get("epoch")).intValue() != last) {
            seen.violations.add(cp + ": history of " + history.size() + " epochs, state " + state);
        }
    }

    /** A model that loads and whose parameters all equal one cycle number (the expected one, if given). */
    private static void requireUniform(RunDir run, String name, Integer expected, Seen seen) {
        try {
            ComputationGraph net = run.loadModel(name);
            double lo = net.params().minNumber().doubleValue();
            double hi = net.params().maxNumber().doubleValue();
            if (lo != hi || (expected != null && lo != expected)) {
                seen.violations.add(name + ": parameters from " + lo + " to " + hi + ", expected " + expected);
            }
            seen.files++;
        } catch (RuntimeException e) {
            seen.violations.add(name + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkRegistry(Path root, Seen seen, boolean settled) throws IOException {
        Path reg = root.resolve("registry");
        if (Files.exists(reg.resolve("lock"))) {
            seen.staleLocks++;
            if (settled) {
                seen.violations.add("the registry lock was left after the final run");
            }
        }
        List<Map<String, Object>> decisions = Files.exists(reg.resolve("history.json"))
                ? (List<Map<String, Object>>) Json.readObject(Files.readString(reg.resolve("history.json")), "history")
                .get("decisions")
                : List.of();
        seen.files++;
        if (decisions.size() < seen.decisions) {
            seen.violations.add("registry decisions went from " + seen.decisions + " to " + decisions.size());
        }
        seen.decisions = decisions.size();
        List<String> accepted = new ArrayList<>();
        String expectedCurrent = null;
        for (Map<String, Object> d : decisions) {
            if (!Objects.equals(expectedCurrent, d.get("current"))) {
                seen.violations.add("a decision compared with " + d.get("current") + " while " + expectedCurrent
                        + " was current");
            }
            if ("accepted".equals(d.get("decision"))) {
                expectedCurrent = (String) d.get("version");
                accepted.add(expectedCurrent);
            }
        }
        if (new HashSet<>(accepted).size() != accepted.size()) {
            seen.violations.add("a version number was used twice: " + accepted);
        }
        for (String v : accepted) {
            Path dir = reg.resolve("versions").resolve(v);
            if (!Files.exists(dir.resolve("_SUCCESS")) || !Files.exists(dir.resolve("model.zip"))) {
                seen.violations.add("accepted version " + v + " is not complete");
            }
            seen.files++;
        }
        if (!new HashSet<>(accepted).containsAll(seen.versions)) {
            seen.violations.add("a promoted version was lost from the history: " + seen.versions + " vs " + accepted);
        }
        seen.versions.addAll(accepted);
        Optional<String> current = Files.exists(reg.resolve("current"))
                ? Optional.of(Files.readString(reg.resolve("current")).strip()) : Optional.empty();
        seen.files++;
        if (current.isPresent()) {
            Path dir = reg.resolve("versions").resolve(current.get());
            if (!Files.exists(dir.resolve("_SUCCESS")) || !Files.exists(dir.resolve("version.json"))) {
                seen.violations.add("current names an incomplete version " + current.get());
            } else if (!current.get().equals(expectedCurrent)) {
                // The run died between moving the pointer and appending its decision: the decision is in
                // version.json and the next run appends it; it must be the promotion after the last one recorded.
                Map<String, Object> v = Json.readObject(Files.readString(dir.resolve("version.json")), "version.json");
                Map<String, Object> d = (Map<String, Object>) v.get("decision");
                if (!Objects.equals(d.get("current"), expectedCurrent) || settled) {
                    seen.violations.add("current " + current.get() + " is not the last accepted version "
                            + expectedCurrent + " and cannot be recovered: " + d);
                } else {
                    seen.pendingDecisions++;
                }
            }
        } else if (expectedCurrent != null) {
            seen.violations.add("the current pointer was lost (last accepted " + expectedCurrent + ")");
        }
    }
}
