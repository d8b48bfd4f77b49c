package io.readout.datasets.idx;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.fs.FileStatus;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder of MNIST-family IDX files, as distributed (Fashion-MNIST: {@code train-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}, …; the MNIST sample: {@code images-idx3-ubyte.gz}) or as Debian's
 * packages install them, gzipped or not. Finds the image/label pair of each part (train, t10k, or a
 * single unprefixed pair) and checks that their counts agree.
 */
public final class IdxFolder {
    /** {@code [train-|t10k-]images-idx3-ubyte[.gz]}, also with {@code .} or {@code _} as separators. */
    private static final Pattern FILE = Pattern.compile(
            "^(?:(train|t10k)[-_.])?(images|labels)[-_.]idx([13])[-_.]ubyte(?:\\.gz)?$");

    /** The parts an IDX folder may hold. */
    public enum Part { TRAIN, T10K, SINGLE }

    /** A matched image/label pair. */
    public record Pair(Part part, IdxFile.Images images, IdxFile.Labels labels) {
        public int count() {
            return images.count();
        }
    }

    private final HadoopInputs inputs;
    private final String dir;
    private final String flag;
    private final List<FileStatus> files;

    /**
     * @param flag how the user named the folder (e.g. {@code --fashion}), for error messages
     */
    public IdxFolder(HadoopInputs inputs, String dir, String flag) {
        this.inputs = inputs;
        this.dir = dir;
        this.flag = flag;
        this.files = inputs.list(dir, flag);
    }

    public String dir() {
        return dir;
    }

    /** Whether the folder holds an image file of this part. */
    public boolean has(Part part) {
        return find(part, "images") != null;
    }

    /** Reads the pair of this part, checking the counts agree. */
    public Pair read(Part part) {
        FileStatus img = require(part, "images");
        FileStatus lab = require(part, "labels");
        IdxFile.Images images;
        IdxFile.Labels labels;
        String imgName = HadoopInputs.display(img.getPath());
        String labName = HadoopInputs.display(lab.getPath());
        try (InputStream in = inputs.open(img.getPath().toString(), flag)) {
            images = IdxFile.readImages(in, imgName);
        } catch (IOException e) {
            throw new BadInputException(imgName + ": read failed: " + e.getMessage(), e);
        }
        try (InputStream in = inputs.open(lab.getPath().toString(), flag)) {
            labels = IdxFile.readLabels(in, labName);
        } catch (IOException e) {
            throw new BadInputException(labName + ": read failed: " + e.getMessage(), e);
        }
        if (images.count() != labels.count()) {
            throw new BadInputException("images and labels differ in count: " + imgName + " has "
                    + images.count() + " images, " + labName + " has " + labels.count() + " labels");
        }
        return new Pair(part, images, labels);
    }

    private FileStatus require(Part part, String kind) {
        FileStatus s = find(part, kind);
        if (s == null) {
            String prefix = part == Part.SINGLE ? "" : part.name().toLowerCase(Locale.ROOT) + "-";
            throw new BadInputException(flag + " " + dir + ": no IDX " + kind + " file (expected "
                    + prefix + kind + "-idx" + ("images".equals(kind) ? 3 : 1) + "-ubyte[.gz]; found: "
                    + names() + ")");
        }
        return s;
    }

    private FileStatus find(Part part, String kind) {
        for (FileStatus s : files) {
            Matcher m = FILE.matcher(s.getPath().getName());
            if (!s.isFile() || !m.matches() || !kind.equals(m.group(2))) {
                continue;
            }
            Part p = m.group(1) == null ? Part.SINGLE : Part.valueOf(m.group(1).toUpperCase(Locale.ROOT));
            if (p == part) {
                return s;
            }
        }
        return null;
    }

    private String names() {
        List<String> out = new ArrayList<>();
        for (FileStatus s : files) {
            out.add(s.getPath().getName());
        }
        return out.isEmpty() ? "nothing" : String.join(", ", out);
    }
}
