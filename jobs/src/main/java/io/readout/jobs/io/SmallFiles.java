package io.readout.jobs.io;

import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * Small files on any Hadoop file system (the model registry's pointers and records, {@link ExclusiveLock}'s
 * lock file), with the two atomic operations they are built on:
 * <ul>
 *   <li>{@link #createExclusive}: create a file only if none exists; exactly one of several racing
 *   creators succeeds. HDFS does this in the namenode ({@code create(path, overwrite=false)}). Hadoop's
 *   local file system does not: it checks {@code exists()} and then opens the file, so two processes can
 *   both "create" it; on a local disk the file is therefore created with {@code O_CREAT|O_EXCL}
 *   ({@link StandardOpenOption#CREATE_NEW}).</li>
 *   <li>{@link #replace}: write a file whole, then put it in place of the old one so a reader sees the
 *   old or the new content, never none and never half. On HDFS a plain rename onto an existing file
 *   fails; {@link DistributedFileSystem#rename(Path, Path, Options.Rename...)} with {@code OVERWRITE} is
 *   one atomic namenode operation. On a local disk a rename replaces atomically (POSIX
 *   {@code rename(2)}). Other stores (s3a) fall back to delete-then-rename, which is not atomic; readers
 *   there retry a missing file ({@link #readOrNull}).</li>
 * </ul>
 * Local files are written through the raw local file system, without {@code .crc} side files: a
 * checksummed rename moves the data file and its checksum in two steps, and a reader between them would
 * fail on a checksum mismatch.
 */
public final class SmallFiles {
    private SmallFiles() {
    }

    /** The file system to write small files with. */
    public static FileSystem unchecked(FileSystem fs) {
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }

    /** Creates {@code path} holding {@code bytes} if no file is there; false if one is. */
    public static boolean createExclusive(FileSystem fs, Path path, byte[] bytes) throws IOException {
        if (fs instanceof RawLocalFileSystem raw) {
            java.nio.file.Path file = raw.pathToFile(path).toPath();
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
            return true;
        }
        try (OutputStream out = fs.create(path, false)) {
            out.write(bytes);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            // HDFS reports a file another client is still creating with AlreadyBeingCreatedException.
            if (fs.exists(path)) {
                return false;
            }
            throw e;
        }
    }

    /** Writes {@code bytes} to a hidden sibling, then replaces {@code target} with it (see the class comment). */
    public static void replace(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        try (OutputStream out = fs.create(tmp, false)) {
            out.write(bytes);
        }
        try {
            if (fs instanceof DistributedFileSystem dfs) {
                dfs.rename(tmp, target, Options.Rename.OVERWRITE);
                return;
            }
            if (fs.rename(tmp, target)) {
                return;
            }
            // A store that does not rename onto an existing file: not atomic, the caller holds the lock.
            fs.delete(target, false);
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, false);
            }
        }
    }

    /** The file's content, or null when there is no such file; retries a read the replacement of the file cut short. */
    public static byte[] readOrNull(FileSystem fs, Path path) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (InputStream in = fs.open(path)) {
                return in.readAllBytes();
            } catch (FileNotFoundException e) {
                return null;
            } catch (IOException e) {
                // On HDFS a file replaced while it was being read can lose its blocks under the reader.
                last = e;
                sleep(50L * (attempt + 1));
            }
        }
        throw last;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
