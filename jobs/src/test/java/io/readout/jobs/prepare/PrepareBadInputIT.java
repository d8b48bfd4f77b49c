package io.readout.jobs.prepare;

import io.readout.datasets.SharedSparkSession;
import io.readout.datasets.TestData;
import io.readout.datasets.text.MultiNliSource;
import io.readout.datasets.text.TextFixtures;
import io.readout.datasets.text.TextFixtures.Comment;
import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every bad input of the foundation issue through the command line: exit code 2, one line on
 * stderr that names the input, and no output folder (nor temporary sibling) left behind.
 */
class PrepareBadInputIT extends SharedSparkSession {

    @TempDir
    Path tmp;

    /** Runs prepare into tmp/out and checks the contract of a refused input; returns the one error line. */
    private String refused(String... args) throws Exception {
        Path out = tmp.resolve("out");
        String[] full = new String[args.length + 4];
        full[0] = "prepare";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--out";
        full[args.length + 2] = out.toString();
        full[args.length + 3] = "--shards=1";
        CliRun run = CliRun.of(full);
        assertEquals(2, run.code(), "exit code; stderr: " + run.err());
        assertEquals(1, run.errLines().length, "one line on stderr: " + run.err());
        assertTrue(run.errLines()[0].startsWith("readout prepare: "), run.err());
        assertFalse(Files.exists(out), "no output folder left behind");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(0, left.filter(p -> p.getFileName().toString().startsWith(".out")).count(),
                    "no temporary folder left behind");
        }
        return run.errLines()[0];
    }

    private Path idxFolder(String name) throws Exception {
        Path dir = tmp.resolve(name);
        TestData.idxFolder(dir, "train-", 40, 2, true);
        TestData.idxFolder(dir, "t10k-", 12, 2, true);
        return dir;
    }

    @Test
    void missingPath() throws Exception {
        assertEquals("readout prepare: --mnist /no/such/folder: no such file or directory",
                refused("--dataset", "dominoes", "--mnist", "/no/such/folder", "--fashion", TestData.fashion()));
    }

    @Test
    void idxWithAWrongMagicNumber() throws Exception {
        Path dir = idxFolder("magic");
        TestData.write(dir.resolve("t10k-images-idx3-ubyte.gz"), TestData.idxImages(2049, 12, 4, 4, new byte[192]), true);
        assertEquals("readout prepare: " + dir.resolve("t10k-images-idx3-ubyte.gz")
                        + ": not an IDX images file (magic number 2049, expected 2051)",
                refused("--dataset", "idx", "--images", dir.toString()));
    }

    @Test
    void idxWithATruncatedBody() throws Exception {
        Path dir = idxFolder("truncated");
        byte[] whole = TestData.idxImages(2051, 40, 4, 4, new byte[640]);
        TestData.write(dir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(whole, 300), true);
        assertEquals("readout prepare: " + dir.resolve("train-images-idx3-ubyte.gz")
                        + ": truncated: the header says 40 images of 4x4 (640 bytes) but the file ends after 284",
                refused("--dataset", "colored", "--images", dir.toString()));
    }

    @Test
    void imagesAndLabelsOfDifferentCounts() throws Exception {
        Path dir = idxFolder("counts");
        TestData.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestData.idxLabels(2049, 39, new byte[39]), true);
        assertEquals("readout prepare: images and labels differ in count: " + dir.resolve("train-images-idx3-ubyte.gz")
                        + " has 40 images, " + dir.resolve("train-labels-idx1-ubyte.gz") + " has 39 labels",
                refused("--dataset", "idx", "--images", dir.toString()));
    }

    @Test
    void aLabelOutOfRange() throws Exception {
        Path dir = idxFolder("labels");
        assertEquals("readout prepare: " + dir.resolve("train-labels-idx1-ubyte.gz")
                        + ": class 7 (kept by --classes/--label-map) is out of range: no label 7 in the file",
                refused("--dataset", "idx", "--images", dir.toString(), "--classes", "0,7"));
    }

    @Test
    void rhoOutsideTheUnitInterval() throws Exception {
        assertEquals("readout prepare: --rho 1.5 is outside [0, 1]", refused("--dataset", "synthetic", "--rho", "1.5"));
        assertEquals("readout prepare: --rho -0.2 is outside [0, 1]",
                refused("--dataset", "dominoes", "--mnist", TestData.mnist(), "--fashion", TestData.fashion(),
                        "--rho", "-0.2"));
    }

    @Test
    void flagsThatDoNotApplyOrAreMissingOrMalformed() throws Exception {
        assertTrue(refused("--dataset", "idx", "--images", "x", "--rho", "0.9")
                .startsWith("readout prepare: --rho does not apply to --dataset idx"));
        assertEquals("readout prepare: --dataset dominoes needs --fashion",
                refused("--dataset", "dominoes", "--mnist", TestData.mnist()));
        assertEquals("readout prepare: --dataset 'mnist' is not one of synthetic, dominoes, colored, idx, waterbirds, "
                + "celeba, civilcomments, multinli, table", refused("--dataset", "mnist"));
        assertTrue(refused("--dataset", "synthetic", "--rho", "high")
                .startsWith("readout prepare: Invalid value for option '--rho': 'high' is not a double"));
        assertTrue(refused("--dataset", "synthetic", "--bogus").startsWith("readout prepare: Unknown option: '--bogus'"));
    }

    @Test
    void anOutputThatAlreadyHoldsACompleteTable() throws Exception {
        Path out = tmp.resolve("done");
        String[] args = {"prepare", "--dataset", "synthetic", "--n-train", "40", "--n-val", "8", "--n-test", "8",
            "--out", out.toString()};
        assertEquals(0, CliRun.of(args).code());
        byte[] before = Files.readAllBytes(out.resolve("dataset.json"));
        CliRun again = CliRun.of(args);
        assertEquals(2, again.code());
        assertEquals("readout prepare: --out " + out + ": already holds a complete output; pass --overwrite to replace it",
                again.err().strip());
        assertEquals(new String(before), Files.readString(out.resolve("dataset.json")), "the earlier table is intact");

        String[] overwrite = Arrays.copyOf(args, args.length + 2);
        overwrite[args.length] = "--overwrite";
        overwrite[args.length + 1] = "--seed=4";
        assertEquals(0, CliRun.of(overwrite).code());
        assertTrue(Files.readString(out.resolve("dataset.json")).contains("\"seed\" : 4"));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(1, left.count(), "only the output itself");
        }
    }

    private Path tableWith(String header, String... rows) throws Exception {
        Path csv = tmp.resolve("in/t.csv");
        Files.createDirectories(csv.getParent());
        List<String> lines = new ArrayList<>(List.of(header));
        lines.addAll(List.of(rows));
        Files.write(csv, lines);
        return csv;
    }

    private static final String[] GOOD_ROWS = {"a,1.0,0,train", "b,2.0,1,train", "c,3.0,0,val", "d,4.0,1,val",
        "e,5.0,0,test", "f,6.0,1,test"};

    private String refusedTable(Path csv) throws Exception {
        return refused("--dataset", "table", "--input", csv.toString(), "--id-col", "id", "--feature-cols", "x");
    }

    @Test
    void aCsvMissingANamedColumn() throws Exception {
        Path csv = tableWith("id,x,label,part", GOOD_ROWS);
        String line = refusedTable(csv);
        assertTrue(line.startsWith("readout prepare: ") && line.contains("'split'") && line.contains("missing"), line);
        assertTrue(line.contains(csv.getFileName().toString()), line);

        Path root = ReleaseLayouts.waterbirds(tmp.resolve("wb"));
        List<String> meta = Files.readAllLines(root.resolve("metadata.csv"));
        meta.replaceAll(l -> l.substring(0, l.lastIndexOf(',')));
        Files.write(root.resolve("metadata.csv"), meta);
        String wb = refused("--dataset", "waterbirds", "--source", root.toString());
        assertTrue(wb.contains("metadata.csv") && wb.contains("'place'") && wb.contains("missing"), wb);
    }

    @Test
    void aLabelOrSplitValueOutOfRangeInATable() throws Exception {
        String[] rows = GOOD_ROWS.clone();
        rows[3] = "d,4.0,-1,val";
        Path csv = tableWith("id,x,label,split", rows);
        assertEquals("readout prepare: " + csv + ": row 4 (id d), column 'label': value '-1' is negative",
                refusedTable(csv));

        rows = GOOD_ROWS.clone();
        rows[4] = "e,5.0,0,holdout";
        String split = refusedTable(tableWith("id,x,label,split", rows));
        assertTrue(split.contains("holdout") && split.contains("out of range"), split);
    }

    @Test
    void aNonNumericOrNaNFeature() throws Exception {
        String[] rows = GOOD_ROWS.clone();
        rows[2] = "c,abc,0,val";
        Path csv = tableWith("id,x,label,split", rows);
        assertEquals("readout prepare: " + csv + ": row 3 (id c), column 'x': value 'abc' is not a number",
                refusedTable(csv));

        rows = GOOD_ROWS.clone();
        rows[5] = "f,NaN,1,test";
        String nan = refusedTable(tableWith("id,x,label,split", rows));
        assertTrue(nan.contains("row 6 (id f), column 'x'") && nan.contains("NaN"), nan);
    }

    @Test
    void anImageThatDoesNotDecode() throws Exception {
        Path root = ReleaseLayouts.waterbirds(tmp.resolve("wb"));
        Path broken = root.resolve("017.Cardinal/bird_7.jpg");
        Files.writeString(broken, "this is not a JPEG");
        String line = refused("--dataset", "waterbirds", "--source", root.toString(), "--image-size", "8x8");
        assertTrue(line.contains("bird_7.jpg"), line);
    }

    @Test
    void anEmptySplit() throws Exception {
        String[] rows = {"a,1.0,0,train", "b,2.0,1,train", "e,5.0,0,test", "f,6.0,1,test"};
        String line = refusedTable(tableWith("id,x,label,split", rows));
        assertTrue(line.contains("'val'") && line.contains("no"), line);
    }

    // ---- text benchmarks ------------------------------------------------------------------------------

    private static List<Comment> commentsWith(int index, Comment c) {
        List<Comment> comments = new ArrayList<>(TextFixtures.COMMENTS);
        comments.set(index, c);
        return comments;
    }

    private String refusedCivil(List<Comment> comments, String... flags) throws Exception {
        Path root = TextFixtures.civilComments(tmp.resolve("civilcomments"), comments);
        List<String> args = new ArrayList<>(List.of("--dataset", "civilcomments", "--source", root.toString()));
        args.addAll(List.of(flags));
        return refused(args.toArray(new String[0]));
    }

    @Test
    void civilCommentsBadInputs() throws Exception {
        String csv = tmp.resolve("civilcomments/all_data_with_identities.csv").toString();
        assertEquals("readout prepare: " + csv + " record 4 (id 104), column 'toxicity': value 'high' is not a number",
                refusedCivil(commentsWith(3, new Comment(104, "x", "train", "high"))));
        assertEquals("readout prepare: " + csv + " record 4 (id 104), column 'toxicity': value 'NaN' is not a number",
                refusedCivil(commentsWith(3, new Comment(104, "x", "train", "NaN"))));
        assertEquals("readout prepare: " + csv + " record 10 (id 204), column 'toxicity': value '2' is outside [0, 1]",
                refusedCivil(commentsWith(9, new Comment(204, "x", "val", "2"))));
        assertEquals("readout prepare: " + csv + " record 10 (id 204), column 'christian': value 'yes' is not a number",
                refusedCivil(commentsWith(9, new Comment(204, "x", "val", "0.1", "christian", "yes"))));
        assertEquals("readout prepare: " + csv + " record 16 (id 304), column 'split': value 'holdout' is out of"
                + " range (expected train, val or test)",
                refusedCivil(commentsWith(15, new Comment(304, "x", "holdout", "0.1"))));
        List<Comment> noTest = new ArrayList<>(TextFixtures.COMMENTS.subList(0, 12));
        assertEquals("readout prepare: " + csv + ": split 'test' has no rows", refusedCivil(noTest));
        String column = refusedCivil(TextFixtures.COMMENTS, "--identities", "male,klingon");
        assertTrue(column.startsWith("readout prepare: " + csv + ": column 'klingon' is missing (has: _c0, id,"),
                column);
        assertTrue(refusedCivil(TextFixtures.COMMENTS, "--attribute", "each")
                .startsWith("readout prepare: --attribute each: WILDS' evaluation groups"));
        assertEquals("readout prepare: --attribute 'all': expected any or each",
                refusedCivil(TextFixtures.COMMENTS, "--attribute", "all"));
        Files.delete(Path.of(csv));
        assertEquals("readout prepare: civilcomments comments " + csv + ": no such file or directory",
                refused("--dataset", "civilcomments", "--source", tmp.resolve("civilcomments").toString()));
    }

    @Test
    void multiNliBadInputs() throws Exception {
        Path root = TextFixtures.multiNli(tmp.resolve("multinli_1.0"));
        String missing = refused("--dataset", "multinli", "--source", root.toString());
        assertTrue(missing.startsWith("readout prepare: multinli split " + root.resolve("metadata_random.csv")
                + ": no such file"), missing);
        assertEquals("readout prepare: --split-scheme 'random': expected groupdro or preset",
                refused("--dataset", "multinli", "--source", root.toString(), "--split-scheme", "random"));
        assertTrue(refused("--dataset", "multinli", "--source", root.toString(), "--identities", "male")
                .startsWith("readout prepare: --identities does not apply to --dataset multinli"));

        Path matched = root.resolve(MultiNliSource.DEV_MATCHED);
        List<String> lines = new ArrayList<>(Files.readAllLines(matched));
        lines.set(3, "not json at all");
        Files.write(matched, lines);
        assertEquals("readout prepare: " + matched + " line 4, not a JSON object",
                refused("--dataset", "multinli", "--source", root.toString(), "--split-scheme", "preset"));
        Files.delete(matched);
        assertEquals("readout prepare: multinli pairs " + matched + ": no such file or directory",
                refused("--dataset", "multinli", "--source", root.toString(), "--split-scheme", "preset"));
    }
}
