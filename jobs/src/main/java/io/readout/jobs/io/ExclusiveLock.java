package io.readout.jobs.io;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An exclusive lock on a folder of any Hadoop file system (the model registry's, a pipeline root's through
 * {@link FolderLock}): the file {@code ROOT/lock}, created only if absent
 * ({@link SmallFiles#createExclusive}), holding {@code {"owner", "host", "pid", "time"}} — a random
 * owner token, the holder's host name and process id, and when it was taken (epoch milliseconds and
 * ISO-8601). Released by deleting it.
 *
 * <p>A run that finds the lock taken polls every {@link LockSettings#poll()} for up to
 * {@link LockSettings#timeout()}, then throws {@link LockedException}. A lock is <em>stale</em>,
 * and broken, when its holder was a process on this host that no longer runs, or when it is older than
 * {@link LockSettings#staleAfter()} (a holder on another host cannot be checked; a lock that cannot be
 * parsed is judged by its modification time). Breaking is itself exclusive: the breaker first creates
 * {@code lock.break-<owner>}, so of several waiters that judged the same lock stale only one removes it,
 * and it removes it only if the lock still holds that owner. Host names identify hosts, so two
 * containers that share a host name but not a process namespace must rely on {@code --stale-after}.
 */
public final class ExclusiveLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExclusiveLock.class);
    public static final String NAME = "lock";
    private static final String BREAK = NAME + ".break-";

    private final FileSystem fs;
    private final Path path;
    private final String owner;
    private boolean released;

    private ExclusiveLock(FileSystem fs, Path path, String owner) {
        this.fs = fs;
        this.path = path;
        this.owner = owner;
    }

    /** Who holds (or held) a lock, as its file says: also the time in ISO-8601, for people who read it. */
    @JsonPropertyOrder({"owner", "host", "pid", "time", "time_millis"})
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Holder(String owner, String host, long pid, @JsonProperty("time_millis") long timeMillis) {
        /** A lock file as written; one without its pid or time is not (yet) one. */
        @JsonCreator
        static Holder fromJson(@JsonProperty("owner") String owner, @JsonProperty("host") String host,
                               @JsonProperty("pid") Long pid, @JsonProperty("time_millis") Long timeMillis) {
            if (pid == null || timeMillis == null) {
                throw new IllegalArgumentException("a lock file without pid or time_millis");
            }
            return new Holder(owner, host, pid, timeMillis);
        }

        @JsonProperty("time")
        String time() {
            return Instant.ofEpochMilli(timeMillis).toString();
        }

        String describe() {
            return host + " pid " + pid + " since " + Instant.ofEpochMilli(timeMillis);
        }
    }

    /** Takes the lock of the folder {@code root}, waiting and breaking a stale lock as the settings say. */
    public static ExclusiveLock acquire(FileSystem fs, Path root, LockSettings settings, String what) {
        Path path = new Path(root, NAME);
        String owner = UUID.randomUUID().toString();
        long start = System.nanoTime();
        long deadline = start + settings.timeout().toNanos();
        boolean logged = false;
        try {
            while (true) {
                long now = System.currentTimeMillis();
                if (SmallFiles.createExclusive(fs, path, content(owner, now))) {
                    return new ExclusiveLock(fs, path, owner);
                }
                Optional<FileStatus> status = status(fs, path);
                if (status.isEmpty()) {
                    continue; // released between our attempt and our look
                }
                Holder holder = read(fs, path);
                String staleBecause = staleBecause(holder, status.get(), settings.staleAfter(), now);
                if (staleBecause != null) {
                    breakLock(fs, path, holder, status.get(), staleBecause);
                    continue;
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new LockedException(what + ": locked by "
                            + (holder == null ? "an unknown run" : holder.describe()) + " ("
                            + HadoopInputs.display(path) + "); waited "
                            + seconds(settings.timeout()) + ". If that run is dead, delete the lock file, or wait until it is older than --stale-after "
                            + seconds(settings.staleAfter()));
                }
                if (!logged) {
                    LOG.info("{} is locked by {}; waiting up to {}", what,
                            holder == null ? "an unknown run" : holder.describe(), seconds(settings.timeout()));
                    logged = true;
                }
                SmallFiles.sleep(Math.min(settings.poll().toMillis(),
                        Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("taking the lock " + path, e);
        }
    }

    /** Why a lock is stale, or null if it is not. */
    static String staleBecause(Holder holder, FileStatus status, Duration staleAfter, long nowMillis) {
        if (holder != null && holder.host().equals(HOST) && holder.pid() != PID
                && ProcessHandle.of(holder.pid()).map(p -> !p.isAlive()).orElse(true)) {
            return "its holder, pid " + holder.pid() + " on this host, is no longer running";
        }
        long taken = holder != null ? holder.timeMillis() : status.getModificationTime();
        if (nowMillis - taken > staleAfter.toMillis()) {
            return "it is older than --stale-after " + seconds(staleAfter);
        }
        return null;
    }

    private static void breakLock(FileSystem fs, Path path, Holder holder, FileStatus status, String because)
            throws IOException {
        String id = holder != null ? holder.owner() : "mtime-" + status.getModificationTime();
        Path marker = new Path(path.getParent(), BREAK + id);
        if (!SmallFiles.createExclusive(fs, marker, new byte[0])) {
            return; // another waiter is breaking this lock
        }
        try {
            Holder now = read(fs, path);
            Optional<FileStatus> still = status(fs, path);
            boolean same = holder != null ? now != null && now.owner().equals(holder.owner())
                    : still.isPresent() && now == null && still.get().getModificationTime() == status.getModificationTime();
            if (same) {
                LOG.warn("breaking the lock {} of {}: {}", path,
                        holder == null ? "an unknown run" : holder.describe(), because);
                fs.delete(path, false);
            }
        } finally {
            fs.delete(marker, false);
        }
    }

    private static Optional<FileStatus> status(FileSystem fs, Path path) throws IOException {
        try {
            return Optional.of(fs.getFileStatus(path));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    /** The lock's holder, or null when the file is gone or not (yet) readable as one. */
    static Holder read(FileSystem fs, Path path) throws IOException {
        byte[] bytes = SmallFiles.readOrNull(fs, path);
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, Holder.class);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static byte[] content(String owner, long nowMillis) {
        return content(owner, HOST, PID, nowMillis);
    }

    public static byte[] content(String owner, String host, long pid, long timeMillis) {
        return Json.write(new Holder(owner, host, pid, timeMillis)).getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this lock is still ours (nobody broke it). */
    public boolean held() {
        try {
            Holder h = read(fs, path);
            return !released && h != null && owner.equals(h.owner());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Releases the lock if it is still ours. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        try {
            Holder h = read(fs, path);
            if (h != null && owner.equals(h.owner())) {
                fs.delete(path, false);
            } else {
                LOG.warn("the lock {} was broken while this run held it", path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("releasing the lock " + path, e);
        }
    }

    public static final String HOST = hostName();
    public static final long PID = ProcessHandle.current().pid();

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
        }
    }

    private static String seconds(Duration d) {
        long s = d.toSeconds();
        if (s >= 3600 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s >= 60 && s % 60 == 0) {
            return s / 60 + "m";
        }
        return s > 0 ? s + "s" : d.toMillis() + "ms";
    }
}
