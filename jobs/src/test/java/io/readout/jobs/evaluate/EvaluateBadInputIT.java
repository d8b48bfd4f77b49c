package io.readout.jobs.evaluate;

import io.readout.datasets.SharedSparkSession;
import io.readout.jobs.CliRun;
import io.readout.jobs.passes.EvalFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input of {@code readout evaluate} and {@code readout predict}: exit code 2, one line on
 * stderr naming the input, and nothing written (no metrics folder in the run, no output folder).
 */
class EvaluateBadInputIT extends SharedSparkSession {
    private static String data;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fixture() {
        data = EvalFixture.data().toString();
    }

    /** Runs evaluate and predict with the same inputs; both must refuse with the same reason. */
    private String refused(Path run, String dataDir, String split, String... more) throws Exception {
        String line = null;
        for (String command : List.of("evaluate", "predict")) {
            Path out = tmp.resolve("predictions");
            List<String> args = new ArrayList<>(List.of(command, "--run", run.toString(), "--data", dataDir,
                    "--split", split));
            args.addAll(List.of(more));
            if (command.equals("predict")) {
                args.addAll(List.of("--out", out.toString()));
            }
            CliRun cli = CliRun.of(args.toArray(new String[0]));
            assertEquals(2, cli.code(), command + " exit code; stderr: " + cli.err());
            assertEquals(1, cli.errLines().length, "one line on stderr: " + cli.err());
            assertTrue(cli.errLines()[0].startsWith("readout " + command + ": "), cli.err());
            assertEquals("", cli.out());
            assertTrue(Files.notExists(out), "no predictions written");
            if (Files.isDirectory(run)) {
                try (Stream<Path> files = Files.list(run)) {
                    assertEquals(List.of(), files.map(p -> p.getFileName().toString())
                            .filter(n -> !n.equals("model.zip") && !n.endsWith(".crc")).toList(),
                            "nothing written into the run (Hadoop's local file system adds .crc files)");
                }
            }
            try (Stream<Path> files = Files.list(tmp)) {
                assertEquals(0, files.filter(p -> p.getFileName().toString().startsWith(".")).count(),
                        "no temporary folder left behind");
            }
            String reason = cli.errLines()[0].substring(("readout " + command + ": ").length());
            if (line != null && !split.equals("train")) {
                assertEquals(line, reason, "predict and evaluate give the same reason");
            }
            line = reason;
        }
        return line;
    }

    private Path runWith(String name, int channels, int size, int classes) {
        return EvalFixture.runWith(tmp.resolve(name), EvalFixture.student(channels, size, classes));
    }

    @Test
    void aMissingRun() throws Exception {
        assertEquals("--run /no/such/run: no such file or directory", refused(Path.of("/no/such/run"), data, "val"));
    }

    @Test
    void aRunWithoutItsModel() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("empty-run"));
        assertEquals(run.resolve("model.zip") + ": no such model (is " + run + " a complete run?)",
                refused(run, data, "test"));
        Path withModel = runWith("final-only", 1, 16, 2);
        assertEquals(withModel.resolve("best.zip") + ": no such model (is " + withModel + " a complete run?)",
                refused(withModel, data, "test", "--model", "best"));
    }

    @Test
    void aModelForAnotherClassCount() throws Exception {
        Path run = runWith("three-classes", 1, 16, 3);
        assertEquals(run.resolve("model.zip") + ": the model predicts 3 classes, but --data " + data + " has 2",
                refused(run, data, "val"));
    }

    @Test
    void aModelForAnotherInputShape() throws Exception {
        Path rgb = runWith("rgb", 3, 16, 2);
        assertEquals(rgb.resolve("model.zip") + ": the model takes images with 3 channels, but --data " + data
                + " holds 16x16x1 images (HxWxC)", refused(rgb, data, "val"));
        Path small = runWith("small", 1, 8, 2);
        String line = refused(small, data, "val");
        assertTrue(line.startsWith(small.resolve("model.zip") + ": the model does not take 16x16x1 images (HxWxC) from"
                + " --data " + data + " ("), line);
    }

    @Test
    void aBadSplitOrModelName() throws Exception {
        Path run = runWith("ok", 1, 16, 2);
        assertEquals("--split 'holdout' is not one of val, test, all", refusedEvaluateOnly(run, "holdout"));
        assertEquals("--split 'train' is not one of val, test, all", refusedEvaluateOnly(run, "train"));
        String predict = CliRun.of("predict", "--run", run.toString(), "--data", data, "--split", "holdout", "--out",
                tmp.resolve("p").toString()).err().strip();
        assertEquals("readout predict: --split 'holdout' is not one of train, val, test, all", predict);
        assertEquals("--model 'latest' is not one of final, best", refused(run, data, "val", "--model", "latest"));
    }

    private String refusedEvaluateOnly(Path run, String split) {
        CliRun cli = CliRun.of("evaluate", "--run", run.toString(), "--data", data, "--split", split);
        assertEquals(2, cli.code());
        assertEquals(1, cli.errLines().length, cli.err());
        assertTrue(Files.notExists(run.resolve("metrics")));
        return cli.errLines()[0].substring("readout evaluate: ".length());
    }

    @Test
    void dataThatIsNotAPreparedDataset() throws Exception {
        Path run = runWith("ok", 1, 16, 2);
        Path notPrepared = Files.createDirectories(tmp.resolve("raw"));
        Files.writeString(notPrepared.resolve("dataset.json"), "{}");
        assertEquals("--data " + notPrepared + ": not a complete prepared dataset (no _SUCCESS); run readout prepare",
                refused(run, notPrepared.toString(), "val"));
        assertEquals("--data /no/such/data: no such file or directory", refused(run, "/no/such/data", "val"));
        Files.writeString(notPrepared.resolve("_SUCCESS"), "");
        assertEquals("--data " + notPrepared + ": no examples/ table (prepared by an older readout?); run readout prepare again",
                refused(run, notPrepared.toString(), "val"));
    }
}
