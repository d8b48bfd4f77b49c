package io.readout.jobs.io;

import io.readout.common.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicOutputTest {
    private final Configuration conf = new Configuration();

    private static long siblings(Path parent) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            return s.count();
        }
    }

    @Test
    void commitMovesTheWholeFolderIntoPlace(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table");
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), false, "--out")) {
            o.writeText("a.txt", "hello");
            assertFalse(Files.exists(out), "nothing visible before the commit");
            o.commit();
        }
        assertEquals("hello", Files.readString(out.resolve("a.txt")));
        assertTrue(Files.exists(out.resolve(AtomicOutput.SUCCESS)));
        assertTrue(AtomicOutput.isComplete(conf, out.toString()));
        assertEquals(1, siblings(dir), "no temporary folder left");
    }

    @Test
    void closeWithoutCommitLeavesNothingNotEvenCreatedParents(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("a/b/table");
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), false, "--out")) {
            o.writeText("half.txt", "...");
        }
        assertEquals(0, siblings(dir));
    }

    @Test
    void aCompleteOutputIsRefusedUnlessOverwrite(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table");
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), false, "--out")) {
            o.writeText("v", "1");
            o.commit();
        }
        BadInputException e = assertThrows(BadInputException.class,
                () -> AtomicOutput.begin(conf, out.toString(), false, "--out"));
        assertEquals("--out " + out + ": already holds a complete output; pass --overwrite to replace it",
                e.getMessage());
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), true, "--out")) {
            o.writeText("v", "2");
            assertEquals("1", Files.readString(out.resolve("v")), "the old output stays readable until the commit");
            o.commit();
        }
        assertEquals("2", Files.readString(out.resolve("v")));
        assertEquals(1, siblings(dir));
    }

    @Test
    void leftoversOfADeadRunAreReplaced(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table");
        Files.createDirectories(out);
        Files.writeString(out.resolve("part-0"), "half"); // no _SUCCESS: a run died while renaming
        Files.createDirectories(dir.resolve(".table.tmp-dead"));
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), false, "--out")) {
            assertFalse(Files.exists(dir.resolve(".table.tmp-dead")));
            o.writeText("whole", "yes");
            o.commit();
        }
        assertFalse(Files.exists(out.resolve("part-0")));
        assertTrue(Files.exists(out.resolve("whole")));
        assertEquals(1, siblings(dir));
    }

    @Test
    void aFileInTheWayIsRefused(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table");
        Files.writeString(out, "x");
        assertEquals("--out " + out + ": is a file, expected a folder",
                assertThrows(BadInputException.class, () -> AtomicOutput.begin(conf, out.toString(), false, "--out"))
                        .getMessage());
    }

    @Test
    void anOutputMovedAsideByACommitThatDiedIsPutBackNotDeleted(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("table");
        try (AtomicOutput o = AtomicOutput.begin(conf, out.toString(), false, "--out")) {
            o.writeText("a.txt", "first");
            o.commit();
        }
        // A replacing commit killed between its two renames: the complete table aside, the new one not in place.
        Files.move(out, dir.resolve(".table.old-1234"));
        Files.createDirectories(dir.resolve(".table.tmp-5678"));
        Files.writeString(dir.resolve(".table.tmp-5678/a.txt"), "second");
        Files.writeString(dir.resolve(".table.tmp-5678/_SUCCESS"), "");

        BadInputException refused = assertThrows(BadInputException.class,
                () -> AtomicOutput.begin(conf, out.toString(), false, "--out"));
        assertTrue(refused.getMessage().endsWith("already holds a complete output; pass --overwrite to replace it"),
                refused.getMessage());
        assertEquals("first", Files.readString(out.resolve("a.txt")), "the earlier complete output is back");
        assertEquals(1, siblings(dir), "the dead commit's temporaries are gone");
    }
}
