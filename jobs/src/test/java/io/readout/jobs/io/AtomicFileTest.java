package io.readout.jobs.io;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {
    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void writesTheFileAndItsFoldersAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("docs/bench/throughput.json");
        AtomicFile.write(out.toString(), "{\"a\": 1}", "--out");
        assertEquals("{\"a\": 1}", Files.readString(out));
        AtomicFile.write(out.toString(), "{\"a\": 2}", "--out");
        assertEquals("{\"a\": 2}", Files.readString(out), "replaces an earlier file");
        assertEquals(List.of(out), files(out.getParent()));
    }

    @Test
    void theFileGetsThePermissionsOfAPlainWrite(@TempDir Path dir) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.json"), "{}");
        Path atomic = dir.resolve("atomic.json");
        AtomicFile.write(atomic.toString(), "{}", "--out");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(atomic));
    }

    @Test
    void aFolderInTheWayIsBadInputNamingTheFlag(@TempDir Path dir) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("taken"));
        BadInputException e = assertThrows(BadInputException.class,
                () -> AtomicFile.write(folder.toString(), "x", "--out"));
        assertEquals("--out " + folder + ": is a folder, expected a file", e.getMessage());
        assertEquals(List.of(), files(folder));
    }
}
