package io.readout.jobs.io;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A trial's printed lines on the sweep's stream: each whole line behind the trial's prefix, written
 * under the stream's lock, so the lines of concurrent trials never interleave mid-line.
 */
public final class PrefixedLines extends OutputStream {
    private final PrintStream target;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    PrefixedLines(PrintStream target, String prefix) {
        this.target = target;
        this.prefix = prefix;
    }

    /** A print stream whose lines go to {@code target} behind {@code prefix}. */
    public static PrintStream printStream(PrintStream target, String prefix) {
        return new PrintStream(new PrefixedLines(target, prefix), true, StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            emit();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    @Override
    public void close() {
        if (line.size() > 0) {
            emit();
        }
    }

    private void emit() {
        synchronized (target) {
            target.println(prefix + line.toString(StandardCharsets.UTF_8));
        }
        line.reset();
    }
}
