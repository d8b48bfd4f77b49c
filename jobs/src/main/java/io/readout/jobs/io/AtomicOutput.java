package io.readout.jobs.io;

import io.readout.common.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * An output folder that readers only ever see whole. Everything is written into a hidden sibling
 * ({@code .NAME.tmp-UUID}); {@link #commit()} adds {@code _SUCCESS} and renames it into place.
 * A folder without {@code _SUCCESS} is never complete: a run that died left at most a temporary
 * sibling or an incomplete folder, both removed by the next run. {@link #close()} without a commit
 * removes the temporary folder and any parent folders this output created.
 *
 * <p>Rename is atomic on HDFS and local file systems; on object stores (s3a) it is a copy, so a
 * reader there must check {@code _SUCCESS}, as every reader here does.
 */
public final class AtomicOutput implements AutoCloseable {
    public static final String SUCCESS = "_SUCCESS";
    private static final String TMP_MARK = ".tmp-";

    private final FileSystem fs;
    private final Path out;
    private final Path tmp;
    private final List<Path> createdParents;
    private boolean committed;

    private AtomicOutput(FileSystem fs, Path out, Path tmp, List<Path> createdParents) {
        this.fs = fs;
        this.out = out;
        this.tmp = tmp;
        this.createdParents = createdParents;
    }

    /** Whether a folder holds a complete output (its {@code _SUCCESS} marker). */
    public static boolean isComplete(Configuration conf, String dir) {
        Path p = new Path(dir);
        try {
            return p.getFileSystem(conf).exists(new Path(p, SUCCESS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts an output. Refuses (exit 2) a folder that is already complete unless {@code overwrite},
     * and a path that is a file.
     *
     * @param flag how the user named the output, e.g. {@code --out}
     */
    public static AtomicOutput begin(Configuration conf, String dir, boolean overwrite, String flag) {
        Path out = new Path(dir);
        try {
            FileSystem fs = out.getFileSystem(conf);
            out = fs.makeQualified(out);
            removeStaleTemporaries(fs, out);
            if (fs.exists(out)) {
                if (fs.getFileStatus(out).isFile()) {
                    throw new BadInputException(flag + " " + dir + ": is a file, expected a folder");
                }
                if (fs.exists(new Path(out, SUCCESS)) && !overwrite) {
                    throw new BadInputException(flag + " " + dir
                            + ": already holds a complete output; pass --overwrite to replace it");
                }
            }
            Path parent = out.getParent();
            List<Path> created = new ArrayList<>();
            for (Path p = parent; p != null && !fs.exists(p); p = p.getParent()) {
                created.add(0, p);
            }
            if (parent != null && !created.isEmpty() && !fs.mkdirs(parent)) {
                throw new BadInputException(flag + " " + dir + ": cannot create its parent folder");
            }
            Path tmp = new Path(parent, "." + out.getName() + TMP_MARK + UUID.randomUUID());
            if (!fs.mkdirs(tmp)) {
                throw new BadInputException(flag + " " + dir + ": cannot create a temporary folder beside it");
            }
            return new AtomicOutput(fs, out, tmp, created);
        } catch (IOException e) {
            throw new BadInputException(flag + " " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Where to write: the temporary folder. */
    public String tmp() {
        return tmp.toString();
    }

    /** The final folder. */
    public String out() {
        return out.toString();
    }

    /** Writes a small text file into the temporary folder. */
    public void writeText(String name, String text) {
        try (OutputStream o = fs.create(new Path(tmp, name), true)) {
            o.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + name + " under " + tmp, e);
        }
    }

    /** Marks the output complete and moves it into place, replacing an earlier (complete or dead) one. */
    public void commit() {
        try {
            writeText(SUCCESS, "");
            Path old = null;
            if (fs.exists(out)) {
                old = new Path(out.getParent(), "." + out.getName() + ".old-" + UUID.randomUUID());
                if (!fs.rename(out, old)) {
                    throw new IOException("cannot move the earlier " + out + " aside");
                }
            }
            if (!fs.rename(tmp, out)) {
                throw new IOException("cannot rename " + tmp + " to " + out);
            }
            committed = true;
            if (old != null) {
                fs.delete(old, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Without a commit: removes the temporary folder and the parents this output created. */
    @Override
    public void close() {
        if (committed) {
            return;
        }
        try {
            fs.delete(tmp, true);
            for (int i = createdParents.size() - 1; i >= 0; i--) {
                Path p = createdParents.get(i);
                FileStatus[] left = fs.exists(p) ? fs.listStatus(p) : null;
                if (left != null && left.length == 0) {
                    fs.delete(p, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Temporaries of this output left by a run that died (one process writes an output at a time). A
     * run killed inside {@link #commit()}, between moving the earlier complete output aside and renaming
     * the new one into place, left no output but the earlier one as {@code .NAME.old-UUID}: it is put
     * back first, so a death never loses a complete output.
     */
    static void removeStaleTemporaries(FileSystem fs, Path out) throws IOException {
        Path parent = out.getParent();
        if (parent == null || !fs.exists(parent)) {
            return;
        }
        String prefix = "." + out.getName() + TMP_MARK;
        String oldPrefix = "." + out.getName() + ".old-";
        for (FileStatus s : fs.listStatus(parent)) {
            String n = s.getPath().getName();
            if (n.startsWith(oldPrefix) && !fs.exists(out) && fs.exists(new Path(s.getPath(), SUCCESS))
                    && fs.rename(s.getPath(), out)) {
                continue;
            }
            if (n.startsWith(prefix) || n.startsWith(oldPrefix)) {
                fs.delete(s.getPath(), true);
            }
        }
    }
}
