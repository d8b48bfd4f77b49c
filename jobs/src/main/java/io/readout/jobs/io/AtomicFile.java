package io.readout.jobs.io;

import io.readout.common.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A small local file that readers only ever see whole (a benchmark's JSON): written to a hidden
 * temporary sibling, then renamed over the target, so an interrupted run leaves the earlier file
 * as it was. The counterpart of {@link AtomicOutput} for one local file.
 */
public final class AtomicFile {
    private AtomicFile() {
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file}, creating its parent folders.
     *
     * @param flag how the user named the file, e.g. {@code --out}; a path that cannot be written is
     *             reported as bad input naming it
     */
    public static void write(String file, String text, String flag) {
        Path target = Path.of(file).toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(target.getParent());
            if (Files.isDirectory(target)) {
                throw new BadInputException(flag + " " + file + ": is a folder, expected a file");
            }
            // Not Files.createTempFile: it makes the file owner-only; this one gets the umask's permissions.
            tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new BadInputException(flag + " " + file + ": cannot write (" + e + ")", e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    private static void deleteQuietly(Path tmp) {
        if (tmp == null) {
            return;
        }
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // Nothing to do: a hidden temporary file is all that is left.
        }
    }
}
