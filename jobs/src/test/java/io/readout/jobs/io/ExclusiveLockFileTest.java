package io.readout.jobs.io;

import io.readout.jobs.TestResources;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The lock file as the code before the typed record wrote it ({@code today/lock.json}): written the same, read back. */
class ExclusiveLockFileTest {
    @TempDir
    java.nio.file.Path dir;

    private static String fixture() throws IOException {
        return TestResources.text(ExclusiveLockFileTest.class, "today/lock.json");
    }

    @Test
    void theLockFileIsWrittenAsBeforeAndRead() throws IOException {
        assertEquals(fixture(), new String(ExclusiveLock.content("retrain 7f3a", "node-1", 4242, 1767323045123L),
                StandardCharsets.UTF_8));
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Files.writeString(dir.resolve("lock"), fixture());
        assertEquals(new ExclusiveLock.Holder("retrain 7f3a", "node-1", 4242, 1767323045123L),
                ExclusiveLock.read(fs, new Path(dir.resolve("lock").toUri())));
    }

    @Test
    void aFileThatIsNotYetALockIsNoHolder() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        for (String text : new String[] {"{\"owner\": \"a\", \"host\": \"h\"}", "{\"owner\": \"a\", \"pid\": 1,", "null",
                "{\"owner\": \"a\", \"pid\": \"x\", \"time_millis\": 1}"}) {
            Files.writeString(dir.resolve("lock"), text);
            assertNull(ExclusiveLock.read(fs, new Path(dir.resolve("lock").toUri())), text);
        }
    }
}
