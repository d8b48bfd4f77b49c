package io.readout.jobs.io;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.time.Duration;

/**
 * {@link ExclusiveLock} ({@code lock} file created only if absent, holder host/pid/time, stale when its
 * holder process on this host is gone) on any folder, without waiting: one {@code readout pipeline} at a
 * time per root. Refused at once ({@link LockedException}, exit code
 * 3) while another live run holds it; a lock left by a run that was killed on this host is broken.
 */
public final class FolderLock implements AutoCloseable {
    /** A live holder on another host is trusted this long. */
    public static final Duration STALE_AFTER = Duration.ofDays(7);
    private final ExclusiveLock lock;

    private FolderLock(ExclusiveLock lock) {
        this.lock = lock;
    }

    /** Takes {@code dir/lock}, creating {@code dir}; {@code what} names the folder in the message. */
    public static FolderLock take(Configuration conf, String dir, String what) {
        Path p = new Path(dir);
        try {
            FileSystem fs = SmallFiles.unchecked(p.getFileSystem(conf));
            Path root = fs.makeQualified(p);
            fs.mkdirs(root);
            return new FolderLock(ExclusiveLock.acquire(fs, root, new LockSettings(Duration.ZERO, STALE_AFTER,
                    LockSettings.DEFAULT_POLL), what + " " + HadoopInputs.display(root)));
        } catch (IOException e) {
            throw new BadInputException(what + " " + dir + ": cannot open its file system: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
