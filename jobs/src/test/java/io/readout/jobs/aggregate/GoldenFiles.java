package io.readout.jobs.aggregate;

import io.readout.jobs.TestResources;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Files as readout wrote them before its JSON became records, kept under test resources: a writer's output
 * must stay byte for byte the same. A missing fixture fails the test and leaves the output in
 * {@code target/golden/} to be reviewed and committed ({@code -Dgolden.record=true}: written to the test
 * resources instead, with the code of today, before a writer changes).
 */
public final class GoldenFiles {
    private GoldenFiles() {
    }

    /** The fixture {@code name} beside {@code anchor}'s package. */
    public static String read(Class<?> anchor, String name) {
        return TestResources.textOrNull(anchor, name);
    }

    public static void assertSameBytes(Class<?> anchor, String name, String actual) {
        String expected = read(anchor, name);
        if (expected == null) {
            try {
                boolean record = Boolean.getBoolean("golden.record");
                Path out = Path.of(record ? "src/test/resources" : "target/golden",
                        anchor.getPackageName().replace('.', '/'), name);
                Files.createDirectories(out.getParent());
                Files.writeString(out, actual);
                if (!record) {
                    fail("no fixture " + name + "; wrote " + out.toAbsolutePath());
                }
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!expected.equals(actual)) {
            try {
                Path out = Path.of("target/golden", anchor.getPackageName().replace('.', '/'), name);
                Files.createDirectories(out.getParent());
                Files.writeString(out, actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(expected, actual, name + " (as written now: target/golden/)");
    }
}
