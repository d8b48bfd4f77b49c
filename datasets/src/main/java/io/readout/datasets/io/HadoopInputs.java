package io.readout.datasets.io;

import io.readout.common.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reads inputs through the Hadoop {@link FileSystem} API, so {@code file://}, {@code hdfs://} and
 * {@code s3a://} paths behave alike. A missing input is a {@link BadInputException} naming it.
 */
public final class HadoopInputs {
    private final Configuration conf;

    public HadoopInputs(Configuration conf) {
        this.conf = conf;
    }

    /** Inputs with a default configuration (local files, or whatever core-site.xml on the classpath says). */
    public static HadoopInputs local() {
        return new HadoopInputs(new Configuration());
    }

    public Configuration conf() {
        return conf;
    }

    public FileSystem fs(Path p) {
        try {
            return p.getFileSystem(conf);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot open its file system: " + e.getMessage(), e);
        }
    }

    public boolean exists(String path) {
        Path p = new Path(path);
        try {
            return fs(p).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The status of an input that must exist.
     *
     * @param what how the user named it, e.g. {@code "--mnist"}
     */
    public FileStatus require(String path, String what) {
        Path p = new Path(path);
        try {
            return fs(p).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new BadInputException(what + " " + path + ": no such file or directory");
        } catch (IOException e) {
            throw new BadInputException(what + " " + path + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** A folder that must exist, for {@code what} (a flag name). */
    public FileStatus requireDirectory(String path, String what) {
        FileStatus s = require(path, what);
        if (!s.isDirectory()) {
            throw new BadInputException(what + " " + path + ": not a directory");
        }
        return s;
    }

    /** The files directly inside a folder, sorted by name. */
    public List<FileStatus> list(String dir, String what) {
        requireDirectory(dir, what);
        Path p = new Path(dir);
        try {
            List<FileStatus> out = new ArrayList<>(Arrays.asList(fs(p).listStatus(p)));
            out.sort(Comparator.comparing(s -> s.getPath().getName()));
            return out;
        } catch (IOException e) {
            throw new BadInputException(what + " " + dir + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** Opens a file that must exist. */
    public InputStream open(String path, String what) {
        FileStatus s = require(path, what);
        if (s.isDirectory()) {
            throw new BadInputException(what + " " + path + ": is a directory, expected a file");
        }
        try {
            return fs(s.getPath()).open(s.getPath());
        } catch (IOException e) {
            throw new BadInputException(what + " " + path + ": cannot open: " + e.getMessage(), e);
        }
    }

    /** Reads a whole (small) file. */
    public byte[] readAll(String path, String what) {
        try (InputStream in = open(path, what)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BadInputException(what + " " + path + ": read failed: " + e.getMessage(), e);
        }
    }

    /** How a path is shown to a user: a plain path for local files, the full URI otherwise. */
    public static String display(Path p) {
        URI uri = p.toUri();
        return "file".equals(uri.getScheme()) ? uri.getPath() : p.toString();
    }

    /** A child path, joined the Hadoop way. */
    public static String child(String dir, String name) {
        return new Path(new Path(dir), name).toString();
    }
}
