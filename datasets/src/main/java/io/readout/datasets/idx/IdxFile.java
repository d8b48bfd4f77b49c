package io.readout.datasets.idx;

import io.readout.common.BadInputException;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format of MNIST and Fashion-MNIST (big-endian; images: magic 2051, count,
 * rows, cols, then one byte per pixel; labels: magic 2049, count, then one byte per label),
 * gzipped or not: gzip is recognised by its magic bytes, not by the file name.
 */
public final class IdxFile {
    public static final int IMAGES_MAGIC = 2051;
    public static final int LABELS_MAGIC = 2049;
    private static final int MAX_SIDE = 4096;

    private IdxFile() {
    }

    /** Images of an IDX file: {@code count} images of {@code rows x cols} bytes, row-major, back to back. */
    public record Images(String source, int count, int rows, int cols, byte[] pixels) {
        public int imageSize() {
            return rows * cols;
        }

        /** A copy of image {@code i}. */
        public byte[] image(int i) {
            byte[] out = new byte[imageSize()];
            System.arraycopy(pixels, i * imageSize(), out, 0, imageSize());
            return out;
        }
    }

    /** Labels of an IDX file, one unsigned byte each. */
    public record Labels(String source, int count, byte[] values) {
        public int label(int i) {
            return values[i] & 0xff;
        }
    }

    /** Reads an images file; {@code source} names it in errors. */
    public static Images readImages(InputStream raw, String source) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(maybeGunzip(raw, source), 1 << 16))) {
            int magic = readHeaderInt(in, source);
            if (magic != IMAGES_MAGIC) {
                throw wrongMagic(source, magic, IMAGES_MAGIC, "images");
            }
            int count = readHeaderInt(in, source);
            int rows = readHeaderInt(in, source);
            int cols = readHeaderInt(in, source);
            if (count < 0 || rows <= 0 || cols <= 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
                throw new BadInputException(source + ": implausible IDX header (count " + count + ", "
                        + rows + "x" + cols + ")");
            }
            long bytes = (long) count * rows * cols;
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new BadInputException(source + ": " + count + " images of " + rows + "x" + cols
                        + " are too many for one IDX file here");
            }
            byte[] pixels = readBody(in, (int) bytes, source, count + " images of " + rows + "x" + cols);
            return new Images(source, count, rows, cols, pixels);
        } catch (IOException e) {
            throw new BadInputException(source + ": read failed: " + e.getMessage(), e);
        }
    }

    /** Reads a labels file; {@code source} names it in errors. */
    public static Labels readLabels(InputStream raw, String source) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(maybeGunzip(raw, source), 1 << 16))) {
            int magic = readHeaderInt(in, source);
            if (magic != LABELS_MAGIC) {
                throw wrongMagic(source, magic, LABELS_MAGIC, "labels");
            }
            int count = readHeaderInt(in, source);
            if (count < 0) {
                throw new BadInputException(source + ": implausible IDX header (count " + count + ")");
            }
            byte[] values = readBody(in, count, source, count + " labels");
            return new Labels(source, count, values);
        } catch (IOException e) {
            throw new BadInputException(source + ": read failed: " + e.getMessage(), e);
        }
    }

    private static BadInputException wrongMagic(String source, int magic, int expected, String what) {
        return new BadInputException(source + ": not an IDX " + what + " file (magic number " + magic
                + ", expected " + expected + ")");
    }

    private static InputStream maybeGunzip(InputStream raw, String source) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(in, 1 << 16);
            } catch (ZipException e) {
                throw new BadInputException(source + ": corrupt gzip data: " + e.getMessage(), e);
            }
        }
        return in;
    }

    private static int readHeaderInt(DataInputStream in, String source) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new BadInputException(source + ": truncated: the file ends inside the IDX header");
        } catch (ZipException e) {
            throw new BadInputException(source + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }

    private static byte[] readBody(DataInputStream in, int bytes, String source, String what) throws IOException {
        byte[] out = new byte[bytes];
        int read;
        try {
            read = in.readNBytes(out, 0, bytes);
        } catch (EOFException | ZipException e) {
            throw new BadInputException(source + ": truncated or corrupt body (header says " + what + "): "
                    + e.getMessage(), e);
        }
        if (read < bytes) {
            throw new BadInputException(source + ": truncated: the header says " + what + " (" + bytes
                    + " bytes) but the file ends after " + read);
        }
        return out;
    }
}
