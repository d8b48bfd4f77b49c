package io.readout.jobs.run;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.deeplearning4j.nn.graph.ComputationGraph;
import io.readout.common.nets.NativeKernels;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A run directory: {@code config.json}, {@code model.zip} (the final
 * model, DL4J {@link ModelSerializer}), {@code best.zip} (the validation-selected epoch),
 * {@code checkpoints/epoch=N/}, {@code metrics/<split>.json}, {@code metrics/<split>_groups.parquet},
 * {@code history.json}, and {@code _SUCCESS} when complete. Every file is written to a temporary
 * name and renamed, so a reader never sees half a model.
 */
public final class RunDir {
    public static final String CONFIG = "config.json";
    public static final String MODEL = "model.zip";
    public static final String BEST = "best.zip";
    public static final String HISTORY = "history.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String METRICS = "metrics";
    public static final String SUCCESS = "_SUCCESS";

    private final Configuration conf;
    private final Path dir;

    public RunDir(Configuration conf, String dir) {
        this.conf = conf;
        Path p = new Path(dir);
        try {
            // Qualified (scheme and absolute path), so what the jobs print names the folder unambiguously.
            p = p.getFileSystem(conf).makeQualified(p);
        } catch (IOException e) {
            throw new BadInputException(dir + ": cannot open its file system: " + e.getMessage(), e);
        }
        this.dir = p;
    }

    /** An existing run; {@code flag} names it in errors. */
    public static RunDir open(Configuration conf, String dir, String flag) {
        new HadoopInputs(conf).requireDirectory(dir, flag);
        return new RunDir(conf, dir);
    }

    public String dir() {
        return dir.toString();
    }

    public String path(String name) {
        return new Path(dir, name).toString();
    }

    public boolean exists(String name) {
        try {
            return fs().exists(new Path(dir, name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isComplete() {
        return exists(SUCCESS);
    }

    /** Loads {@code model.zip} or {@code best.zip} (or a checkpoint's model, by relative name), with its updater. */
    public ComputationGraph loadModel(String name) {
        Path p = new Path(dir, name);
        try {
            if (!fs().exists(p)) {
                throw new BadInputException(HadoopInputs.display(p) + ": no such model (is " + HadoopInputs.display(dir)
                        + " a complete run?)");
            }
            try (InputStream in = fs().open(p)) {
                return NativeKernels.engage(ModelSerializer.restoreComputationGraph(in, true));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(HadoopInputs.display(p) + ": not a DL4J ComputationGraph model ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Writes a model (with its updater state) under {@code name}, atomically. */
    public void saveModel(String name, ComputationGraph model) {
        writeBytes(name, toBytes(model));
    }

    /** A model as ModelSerializer's zip bytes (with its updater). */
    public static byte[] toBytes(ComputationGraph model) {
        return toBytes(model, true);
    }

    /** A model as ModelSerializer's zip bytes; forward-only passes broadcast it without the updater (a third the size with Adam). */
    public static byte[] toBytes(ComputationGraph model, boolean withUpdater) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ModelSerializer.writeModel(model, bytes, withUpdater);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A model from ModelSerializer's zip bytes. */
    public static ComputationGraph fromBytes(byte[] zip, boolean withUpdater) {
        try {
            return NativeKernels.engage(ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(zip), withUpdater));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeText(String name, String text) {
        writeBytes(name, text.getBytes(StandardCharsets.UTF_8));
    }

    public String readText(String name) {
        Path p = new Path(dir, name);
        try (InputStream in = fs().open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(HadoopInputs.display(p) + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Writes to a temporary sibling, then renames over {@code name}. */
    public void writeBytes(String name, byte[] bytes) {
        Path target = new Path(dir, name);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try {
            FileSystem fs = fs();
            fs.mkdirs(target.getParent());
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            replace(fs, tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + target, e);
        }
    }

    /**
     * Puts the complete file {@code tmp} in place of {@code target} so that {@code target} never goes
     * missing: a process killed at any point leaves the old or the new file (never none, never half).
     * HDFS: rename with OVERWRITE, one namenode operation. A local disk: POSIX rename over the old file;
     * its checksum file goes first (a data file without one is read unchecked, one with another file's
     * checksum would fail), then the new checksum follows. Other stores (s3a): delete, then rename.
     */
    static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
        if (fs instanceof DistributedFileSystem dfs) {
            dfs.rename(tmp, target, Options.Rename.OVERWRITE);
            return;
        }
        if (fs instanceof LocalFileSystem local) {
            FileSystem raw = local.getRawFileSystem();
            Path tmpSum = local.getChecksumFile(tmp);
            Path targetSum = local.getChecksumFile(target);
            raw.delete(targetSum, false);
            if (!raw.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
            if (raw.exists(tmpSum) && !raw.rename(tmpSum, targetSum)) {
                raw.delete(tmpSum, false);
            }
            return;
        }
        if (fs.exists(target) && !fs.delete(target, true)) {
            throw new IOException("cannot replace " + target);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    /** Deletes a file or folder of the run (recursively); nothing when it does not exist. */
    public void delete(String name) {
        try {
            fs().delete(new Path(dir, name), true);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + path(name), e);
        }
    }

    public FileSystem fs() {
        try {
            return dir.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Configuration conf() {
        return conf;
    }
}
