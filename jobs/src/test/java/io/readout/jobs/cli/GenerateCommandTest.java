package io.readout.jobs.cli;

import io.readout.common.Json;
import io.readout.datasets.text.CivilCommentsSource;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code readout generate} on the command line: what it writes and prints, its refusals; no Spark. */
class GenerateCommandTest {
    @TempDir
    Path tmp;

    private static CliRun generate(Path out, String... flags) {
        String[] args = Stream.concat(Stream.of("generate", "--dataset", "civilcomments", "--out", out.toString()),
                Stream.of(flags)).toArray(String[]::new);
        return CliRun.of(args);
    }

    private List<String> folder(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    @Test
    void writesTheCsvAndItsSummaryPrintsTheGroupsAndRepeatsItselfByteForByte() throws Exception {
        Path a = tmp.resolve("a");
        CliRun run = generate(a, "--n-train", "200", "--n-val", "40", "--n-test", "80", "--rho", "0.9", "--seed", "3");
        assertEquals(0, run.code(), run.err());
        assertEquals("", run.err());
        assertEquals(List.of(
                "split   group  label  attribute        n",
                "train       0      0          0       90",
                "train       1      0          1       10",
                "train       2      1          0       10",
                "train       3      1          1       90",
                "train     all                        200",
                "val         0      0          0       10",
                "val         1      0          1       10",
                "val         2      1          0       10",
                "val         3      1          1       10",
                "val       all                         40",
                "test        0      0          0       20",
                "test        1      0          1       20",
                "test        2      1          0       20",
                "test        3      1          1       20",
                "test      all                         80",
                "wrote " + a), run.out().lines().toList());
        assertEquals(List.of("_SUCCESS", CivilCommentsSource.FILE, GenerateCommand.SUMMARY), folder(a));
        assertEquals(List.of("a"), folder(tmp), "no temporary sibling left");

        Map<String, Object> summary = Json.readObject(Files.readString(a.resolve(GenerateCommand.SUMMARY)), "summary");
        assertEquals("civilcomments", summary.get("dataset"));
        assertEquals(3, summary.get("seed"));
        assertEquals(Map.of("n_train", 200, "n_val", 40, "n_test", 80, "rho", 0.9, "noise", 0.0, "core_words", 24,
                "length", "12-30", "seed", 3), summary.get("options"));
        assertEquals(Map.of("total", 200, "groups", Map.of("0", 90, "1", 10, "2", 10, "3", 90), "noisy", 0),
                ((Map<?, ?>) summary.get("counts")).get("train"));
        List<String> lines = Files.readAllLines(a.resolve(CivilCommentsSource.FILE));
        assertTrue(lines.get(0).startsWith(",id,comment_text,split,"), lines.get(0));

        Path b = tmp.resolve("b");
        assertEquals(0, generate(b, "--n-train", "200", "--n-val", "40", "--n-test", "80", "--rho", "0.9", "--seed",
                "3").code());
        for (String f : List.of(CivilCommentsSource.FILE, GenerateCommand.SUMMARY)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
        }
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() throws Exception {
        Path out = tmp.resolve("defaults");
        assertEquals(0, generate(out).code());
        Map<String, Object> summary = Json.readObject(Files.readString(out.resolve(GenerateCommand.SUMMARY)), "summary");
        assertEquals(Map.of("n_train", 3000, "n_val", 600, "n_test", 1200, "rho", 0.95, "noise", 0.0, "core_words", 24,
                "length", "12-30", "seed", 0), summary.get("options"));
    }

    /** The run's one stderr line, after checking it failed with exit code 2 and wrote nothing. */
    private String refused(Path out, String... flags) throws Exception {
        List<String> before = folder(tmp);
        CliRun run = generate(out, flags);
        assertEquals(2, run.code(), run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertEquals("", run.out());
        assertEquals(before, folder(tmp), "nothing written");
        return run.errLines()[0];
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals("readout generate: --rho 1.5 is outside [0, 1]", refused(out, "--rho", "1.5"));
        assertEquals("readout generate: --n-train 0 is outside [4, 1000000] (4: one comment per group)",
                refused(out, "--n-train", "0"));
        assertEquals("readout generate: --noise 0.7 is outside [0, 0.5] (the fraction of comments whose core words"
                + " come from the other class)", refused(out, "--noise", "0.7"));
        assertEquals("readout generate: --length '30-12': expected MIN-MAX filler words per comment, with"
                + " 2 <= MIN <= MAX <= 500", refused(out, "--length", "30-12"));
        assertEquals("readout generate: --core-words 0 is outside [1, 40] (the words of each class's core list)",
                refused(out, "--core-words", "0"));
        assertTrue(refused(out, "--rho", "high")
                .startsWith("readout generate: Invalid value for option '--rho': 'high' is not a double"));

        CliRun unknown = CliRun.of("generate", "--dataset", "multinli", "--out", out.toString());
        assertEquals(2, unknown.code());
        assertEquals(List.of("readout generate: --dataset 'multinli' is not one of civilcomments"),
                List.of(unknown.errLines()));
        assertFalse(Files.exists(out));
    }

    @Test
    void anOutputFolderThatHoldsAnythingIsKeptUnlessOverwrite() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(out.resolve("notes.txt"), "mine");
        assertEquals("readout generate: --out " + out + ": already exists and is not empty; pass --overwrite to"
                + " replace it", refused(out, "--n-train", "8", "--n-val", "8", "--n-test", "8"));
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));

        Path done = tmp.resolve("done");
        assertEquals(0, generate(done, "--n-train", "8", "--n-val", "8", "--n-test", "8").code());
        byte[] before = Files.readAllBytes(done.resolve(CivilCommentsSource.FILE));
        assertEquals("readout generate: --out " + done + ": already exists and is not empty; pass --overwrite to"
                + " replace it", refused(done, "--n-train", "8", "--n-val", "8", "--n-test", "8", "--seed", "1"));
        assertArrayEquals(before, Files.readAllBytes(done.resolve(CivilCommentsSource.FILE)));

        CliRun replaced = generate(out, "--n-train", "8", "--n-val", "8", "--n-test", "8", "--overwrite");
        assertEquals(0, replaced.code(), replaced.err());
        assertEquals(List.of("_SUCCESS", CivilCommentsSource.FILE, GenerateCommand.SUMMARY), folder(out));
        Files.createDirectories(tmp.resolve("empty"));
        assertEquals(0, generate(tmp.resolve("empty"), "--n-train", "8", "--n-val", "8", "--n-test", "8").code(),
                "an empty folder is fine");
    }
}
