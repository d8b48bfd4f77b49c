package io.readout.datasets.idx;

import io.readout.common.BadInputException;
import io.readout.datasets.TestData;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxFileTest {

    @Test
    void readsPlainAndGzippedImagesAlike() throws Exception {
        byte[] pixels = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 255};
        byte[] raw = TestData.idxImages(2051, 2, 2, 2, pixels);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        for (byte[] bytes : new byte[][] {raw, gz.toByteArray()}) {
            IdxFile.Images images = IdxFile.readImages(new ByteArrayInputStream(bytes), "f");
            assertEquals(2, images.count());
            assertEquals(2, images.rows());
            assertEquals(2, images.cols());
            assertArrayEquals(new byte[] {4, 5, (byte) 250, (byte) 255}, images.image(1));
        }
    }

    @Test
    void readsLabelsAsUnsignedBytes() throws Exception {
        IdxFile.Labels labels = IdxFile.readLabels(
                new ByteArrayInputStream(TestData.idxLabels(2049, 3, new byte[] {0, 9, (byte) 200})), "l");
        assertEquals(3, labels.count());
        assertEquals(9, labels.label(1));
        assertEquals(200, labels.label(2));
    }

    @Test
    void wrongMagicNamesTheFileAndBothNumbers() throws Exception {
        byte[] bytes = TestData.idxImages(2049, 1, 2, 2, new byte[4]);
        BadInputException e = assertThrows(BadInputException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(bytes), "/data/train-images-idx3-ubyte"));
        assertEquals("/data/train-images-idx3-ubyte: not an IDX images file (magic number 2049, expected 2051)",
                e.getMessage());
    }

    @Test
    void truncatedBodySaysHowMuchWasThere() throws Exception {
        byte[] bytes = TestData.idxImages(2051, 3, 2, 2, new byte[10]);
        BadInputException e = assertThrows(BadInputException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(bytes), "img"));
        assertEquals("img: truncated: the header says 3 images of 2x2 (12 bytes) but the file ends after 10",
                e.getMessage());
    }

    @Test
    void truncatedHeaderAndTruncatedLabels() throws Exception {
        BadInputException header = assertThrows(BadInputException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(new byte[] {0, 0, 8, 3, 0, 0}), "h"));
        assertEquals("h: truncated: the file ends inside the IDX header", header.getMessage());
        byte[] labels = TestData.idxLabels(2049, 5, new byte[] {1, 2});
        BadInputException body = assertThrows(BadInputException.class,
                () -> IdxFile.readLabels(new ByteArrayInputStream(labels), "lab"));
        assertTrue(body.getMessage().startsWith("lab: truncated: the header says 5 labels"), body.getMessage());
    }

    @Test
    void truncatedGzipIsReportedAsTruncated() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(TestData.idxImages(2051, 100, 28, 28, new byte[100 * 784]));
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        BadInputException e = assertThrows(BadInputException.class,
                () -> IdxFile.readImages(new ByteArrayInputStream(cut), "cut.gz"));
        assertTrue(e.getMessage().startsWith("cut.gz: truncated"), e.getMessage());
    }

    @Test
    void folderFindsPartsAndChecksCounts(@TempDir Path dir) throws Exception {
        TestData.idxFolder(dir, "train-", 10, 2, true);
        TestData.idxFolder(dir, "t10k-", 4, 2, false);
        IdxFolder folder = new IdxFolder(HadoopInputs.local(), dir.toString(), "--images");
        assertTrue(folder.has(IdxFolder.Part.TRAIN));
        assertTrue(folder.has(IdxFolder.Part.T10K));
        assertEquals(10, folder.read(IdxFolder.Part.TRAIN).count());
        assertEquals(4, folder.read(IdxFolder.Part.T10K).count());

        TestData.write(dir.resolve("t10k-labels-idx1-ubyte"), TestData.idxLabels(2049, 3, new byte[3]), false);
        BadInputException e = assertThrows(BadInputException.class, () -> folder.read(IdxFolder.Part.T10K));
        assertEquals("images and labels differ in count: " + dir + "/t10k-images-idx3-ubyte has 4 images, "
                + dir + "/t10k-labels-idx1-ubyte has 3 labels", e.getMessage());
    }

    @Test
    void folderWithoutIdxFilesSaysWhatItFound(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "x");
        IdxFolder folder = new IdxFolder(HadoopInputs.local(), dir.toString(), "--images");
        BadInputException e = assertThrows(BadInputException.class, () -> folder.read(IdxFolder.Part.TRAIN));
        assertTrue(e.getMessage().contains("no IDX images file") && e.getMessage().contains("found: notes.txt"),
                e.getMessage());
    }

    @Test
    void missingFolderIsOneLineNamingTheFlag() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new IdxFolder(HadoopInputs.local(), "/no/such/dir", "--mnist"));
        assertEquals("--mnist /no/such/dir: no such file or directory", e.getMessage());
    }
}
