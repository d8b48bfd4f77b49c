package io.readout.jobs.sweep;

import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code readout sweep} through the command line on a small synthetic dataset: a 4-trial grid (lr ×
 * epochs, erm), its table and winner, resume after an interrupted trial, concurrent trials, bad files.
 * The sequential sweep runs once for the class; the resume test changes it last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepIT extends SharedSparkSession {
    private static final List<String> COMPARED = List.of("trial", "lr", "epochs", "status", "selected_epoch",
            "val_accuracy", "val_wga", "val_group_mean", "test_accuracy", "test_wga", "test_group_mean");
    @TempDir
    static Path tmp;
    static String data;
    static Path sequential;
    static Path spec;
    static CliRun first;
    static List<Map<String, Object>> firstTable;

    @BeforeAll
    static void prepareAndSweep() throws IOException {
        data = tmp.resolve("syn").toString();
        CliRun prepare = CliRun.of("prepare", "--dataset", "synthetic", "--n-train", "256", "--n-val", "64", "--n-test",
                "64", "--rho", "0.6", "--core-contrast", "0.3", "--noise", "0.1", "--out", data, "--shards", "2");
        assertEquals(0, prepare.code(), prepare.err());
        sequential = tmp.resolve("sweeps/sequential");
        spec = write("sequential.json", sweep(sequential, 1, "[0.01, 0.003]"));
        first = CliRun.of("sweep", "--config", spec.toString());
        assertEquals(0, first.code(), first.err() + first.out());
        firstTable = table(sequential);
    }

    static String sweep(Path out, int concurrent, String lrs) {
        return "{\"out\": \"" + out + "\",\n"
                + " \"base\": {\"method\": \"erm\", \"arch\": \"student\", \"data\": \"" + data + "\", \"batch\": 32,"
                + " \"workers\": 2, \"averaging_frequency\": 2, \"seed\": 7},\n"
                + " \"space\": {\"lr\": " + lrs + ", \"epochs\": [1, 2]},\n"
                + " \"select\": \"val_wga\", \"concurrent\": " + concurrent + "}\n";
    }

    static Path write(String name, String json) throws IOException {
        Path p = tmp.resolve("specs").resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    /** sweep.parquet's rows, by trial, as column → value. */
    static List<Map<String, Object>> table(Path out) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Row r : spark.read().parquet(out.resolve("sweep.parquet").toString()).orderBy("trial").collectAsList()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String f : r.schema().fieldNames()) {
                m.put(f, r.get(r.fieldIndex(f)));
            }
            rows.add(m);
        }
        return rows;
    }

    static List<Map<String, Object>> compared(List<Map<String, Object>> table) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : table) {
            Map<String, Object> m = new LinkedHashMap<>();
            COMPARED.forEach(c -> m.put(c, row.get(c)));
            out.add(m);
        }
        return out;
    }

    static Map<String, Object> json(Path file) throws IOException {
        return Json.readObject(Files.readString(file), file.toString());
    }

    @Test
    @Order(1)
    void aGridTrainsEveryTrialSelectsOnValidationAndNamesTheWinner() throws IOException {
        assertEquals(4, firstTable.size(), first.out());
        assertEquals(List.of(0.01, 0.01, 0.003, 0.003), firstTable.stream().map(r -> r.get("lr")).toList());
        assertEquals(List.of(1L, 2L, 1L, 2L), firstTable.stream().map(r -> r.get("epochs")).toList());
        int bestTrial = -1;
        double bestWga = -1;
        for (Map<String, Object> row : firstTable) {
            int trial = (Integer) row.get("trial");
            Path run = sequential.resolve(String.format("trials/trial=%04d", trial));
            assertTrue(Files.exists(run.resolve("_SUCCESS")) && Files.exists(run.resolve("best.zip")), run.toString());
            assertEquals("complete", row.get("status"));
            // The selected epoch is the run's best by val_wga, and the evaluated best.zip gives the figures it was chosen by.
            Map<String, Object> history = json(run.resolve("history.json"));
            assertEquals("val_wga", history.get("select"));
            int best = ((Number) history.get("best_epoch")).intValue();
            assertEquals(best, row.get("selected_epoch"));
            Map<?, ?> epoch = (Map<?, ?>) ((List<?>) history.get("epochs")).get(best - 1);
            for (String f : List.of("val_accuracy", "val_wga", "val_group_mean")) {
                assertEquals(((Number) epoch.get(f)).doubleValue(), (Double) row.get(f), 1e-9, f + " of trial " + trial);
            }
            Map<String, Object> test = json(run.resolve("metrics/best/test.json"));
            assertEquals(((Number) test.get("worst_group_accuracy")).doubleValue(), (Double) row.get("test_wga"), 1e-12);
            Map<String, Object> config = json(run.resolve("config.json"));
            assertEquals(row.get("lr"), config.get("lr"));
            assertEquals(((Long) row.get("epochs")).intValue(), config.get("epochs"));
            assertEquals(7, config.get("seed"));
            assertEquals(config, Json.readObject((String) row.get("config"), "config column"));
            assertTrue((Double) row.get("seconds") > 0);
            if ((Double) row.get("val_wga") > bestWga) {
                bestWga = (Double) row.get("val_wga");
                bestTrial = trial;
            }
        }
        Map<String, Object> summary = json(sequential.resolve("sweep.json"));
        Map<?, ?> winner = (Map<?, ?>) summary.get("winner");
        assertEquals(bestTrial, winner.get("trial"), "the best val_wga, the lowest trial on a tie");
        assertEquals(4, summary.get("finished"));
        assertEquals(MachineCpu.current(), MachineCpu.fromJson(summary.get("cpu"), "sweep.json"));
        assertEquals(true, summary.get("complete"));
        assertEquals(firstTable.get(bestTrial).get("test_accuracy"), ((Number) ((Map<?, ?>) winner.get("test"))
                .get("accuracy")).doubleValue());
        assertTrue(first.out().contains(String.format("winner: trial %04d (", bestTrial)), first.out());
        assertEquals(5, first.out().lines().filter(l -> l.matches("[ *](trial|\\d{4}) .*") || l.startsWith("trial  lr"))
                .count(), first.out());
    }

    @Test
    @Order(2)
    void aDryRunListsTheTrialsAndWritesNothing() throws IOException {
        Path out = tmp.resolve("sweeps/dry");
        CliRun dry = CliRun.of("sweep", "--config", write("dry.json", sweep(out, 1, "[0.01, 0.003]")).toString(),
                "--dry-run", "--first", "3");
        assertEquals(0, dry.code(), dry.err());
        assertEquals(3, dry.out().lines().filter(l -> l.startsWith("trial ")).count(), dry.out());
        assertTrue(dry.out().contains("trial 0002  lr=0.003 epochs=1\n    readout train --method=erm --arch=student"), dry.out());
        assertFalse(Files.exists(out));
    }

    @Test
    @Order(5)
    void anInterruptedSweepResumesWithoutRetrainingFinishedTrials() throws IOException {
        Path last = sequential.resolve("trials/trial=0003");
        // Interrupted in its second epoch: no model, no _SUCCESS, no checkpoint of epoch 2 (trial.json left stale).
        Files.delete(last.resolve("_SUCCESS"));
        Files.delete(last.resolve("model.zip"));
        try (var files = Files.walk(last.resolve("checkpoints/epoch=0002"))) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Map<Path, FileTime> untouched = new LinkedHashMap<>();
        for (int t = 0; t < 3; t++) {
            Path run = sequential.resolve(String.format("trials/trial=%04d", t));
            for (String f : List.of("model.zip", "best.zip", "trial.json", "metrics/best/test.json")) {
                untouched.put(run.resolve(f), Files.getLastModifiedTime(run.resolve(f)));
            }
        }
        CliRun resumed = CliRun.of("sweep", "--config", spec.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("3 finished earlier, 1 to run (1 interrupted)"), resumed.out());
        List<String> trained = resumed.out().lines().filter(l -> l.matches("trial \\d{4}  epoch .*")).toList();
        assertEquals(1, trained.size(), resumed.out());
        assertTrue(trained.get(0).startsWith("trial 0003  epoch 2/2"), resumed.out());
        for (Map.Entry<Path, FileTime> e : untouched.entrySet()) {
            assertEquals(e.getValue(), Files.getLastModifiedTime(e.getKey()), e.getKey() + " was rewritten");
        }
        assertEquals(compared(firstTable), compared(table(sequential)), "the resumed trial ends as it did unstopped");

        CliRun again = CliRun.of("sweep", "--config", spec.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("4 finished earlier, 0 to run"), again.out());
        assertFalse(again.out().contains(" epoch 1/"), again.out());

        // A sweep file that changes trials is refused, unless --overwrite starts again.
        Path changed = write("changed.json", sweep(sequential, 1, "[0.01, 0.001]"));
        CliRun refused = CliRun.of("sweep", "--config", changed.toString());
        assertEquals(2, refused.code());
        assertEquals("readout sweep: " + changed + ": " + sequential.resolve("trials/trial=0002")
                + " was trained with lr 0.003 where this sweep gives 0.001 (and 1 more): the sweep changed since it ran;"
                + " pass --overwrite to start it again, or give it another \"out\"", refused.err().strip());
        assertTrue(Files.exists(last.resolve("_SUCCESS")));
        CliRun restarted = CliRun.of("sweep", "--config", changed.toString(), "--overwrite", "--first", "1");
        assertEquals(0, restarted.code(), restarted.err());
        assertEquals(List.of(0.01), table(sequential).stream().map(r -> r.get("lr")).toList());
        try (var dirs = Files.list(sequential.resolve("trials"))) {
            assertEquals(List.of("trial=0000"), dirs.map(p -> p.getFileName().toString()).toList());
        }
        Map<String, Object> summary = json(sequential.resolve("sweep.json"));
        assertEquals(List.of(4, 1, false), List.of(summary.get("trials"), summary.get("finished"), summary.get("complete")));
    }

    @Test
    @Order(3)
    void concurrentTrialsGiveTheSameTable() throws IOException {
        Path out = tmp.resolve("sweeps/concurrent");
        CliRun run = CliRun.of("sweep", "--config", write("concurrent.json", sweep(out, 2, "[0.01, 0.003]")).toString());
        assertEquals(0, run.code(), run.err() + run.out());
        assertEquals(compared(firstTable), compared(table(out)));
        // Two at a time: trial 0001 starts before trial 0000 ends.
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.indexOf("trial 0001  training lr=0.01 epochs=2")
                < lines.stream().filter(l -> l.startsWith("trial 0000  val_wga ")).findFirst().map(lines::indexOf)
                        .orElseThrow(), run.out());
        assertTrue(run.out().contains("2 at a time"), run.out());
    }

    @Test
    @Order(4)
    void aBadSweepExitsTwoBeforeAnythingIsWritten() throws IOException {
        Path out = tmp.resolve("sweeps/bad");
        Path unknown = write("unknown.json", sweep(out, 1, "[0.01, 0.003]").replace("\"epochs\"", "\"epochz\""));
        CliRun flag = CliRun.of("sweep", "--config", unknown.toString());
        assertEquals(2, flag.code());
        assertEquals("readout sweep: " + unknown + ": trial 0000 (lr=0.01 epochz=1): Unknown option: '--epochz=1'"
                + " (see 'readout train --help')", flag.err().strip());
        Path noData = write("nodata.json", sweep(out, 1, "[0.01]").replace(data, tmp.resolve("nothing").toString()));
        CliRun missing = CliRun.of("sweep", "--config", noData.toString());
        assertEquals(2, missing.code());
        assertEquals("readout sweep: " + noData + ": --data " + tmp.resolve("nothing") + ": no such file or directory",
                missing.err().strip());
        CliRun noFile = CliRun.of("sweep", "--config", tmp.resolve("specs/none.json").toString());
        assertEquals(2, noFile.code());
        assertEquals("readout sweep: --config " + tmp.resolve("specs/none.json") + ": no such file or directory",
                noFile.err().strip());
        assertFalse(Files.exists(out));
    }
}
