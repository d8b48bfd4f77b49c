package io.readout.datasets;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** The public data beside the project (../shared/data) and small IDX files written by tests. */
public final class TestData {
    private TestData() {
    }

    /** ../shared, as the build passes it (system property readout.shared.dir) or relative to the module. */
    public static Path shared() {
        String p = System.getProperty("readout.shared.dir");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        return dir.toAbsolutePath().normalize();
    }

    public static String mnist() {
        return shared().resolve("data/mnist-10k").toString();
    }

    public static String fashion() {
        return shared().resolve("data/fashion-mnist").toString();
    }

    /** IDX images bytes: magic, count, rows, cols, then the pixels. */
    public static byte[] idxImages(int magic, int count, int rows, int cols, byte[] pixels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        out.write(pixels);
        return bytes.toByteArray();
    }

    /** IDX labels bytes: magic, count, then the labels. */
    public static byte[] idxLabels(int magic, int count, byte[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.write(labels);
        return bytes.toByteArray();
    }

    public static void write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    /**
     * A valid IDX folder: {@code n} images of 4x4 whose pixels all equal the image index (mod 256),
     * label = index mod {@code classes}.
     */
    public static void idxFolder(Path dir, String prefix, int n, int classes, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels, i * 16, (i + 1) * 16, (byte) i);
            labels[i] = (byte) (i % classes);
        }
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "images-idx3-ubyte" + gz), idxImages(2051, n, 4, 4, pixels), gzip);
        write(dir.resolve(prefix + "labels-idx1-ubyte" + gz), idxLabels(2049, n, labels), gzip);
    }
}
