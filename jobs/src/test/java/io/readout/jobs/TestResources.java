package io.readout.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test resources as text: the fixtures the file-format tests compare with. */
public final class TestResources {
    private TestResources() {
    }

    /** The resource {@code path} beside {@code anchor}'s package (or absolute, from "/"); fails when it is missing. */
    public static String text(Class<?> anchor, String path) {
        String found = textOrNull(anchor, path);
        if (found == null) {
            throw new IllegalArgumentException("no fixture " + path + " beside " + anchor.getSimpleName());
        }
        return found;
    }

    /** The same, or null when it is missing. */
    public static String textOrNull(Class<?> anchor, String path) {
        try (InputStream in = anchor.getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
