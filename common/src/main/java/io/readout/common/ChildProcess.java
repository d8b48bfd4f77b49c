package io.readout.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs another program to its end and keeps what it printed: the machine descriptions ({@code lscpu}) and
 * the benchmarks' measurements in other processes (a Python with torch, a JVM with oneDNN's verbose log).
 * Standard output and standard error are read at once on their own threads, so neither can fill its pipe and
 * stall the child; a child still running at the timeout is killed.
 */
public final class ChildProcess {
    private ChildProcess() {
    }

    /**
     * What a child printed and how it ended.
     *
     * @param exitCode its exit code; -1 when it was killed at the timeout
     * @param timedOut whether it was still running at the timeout
     */
    public record Output(int exitCode, String stdout, String stderr, boolean timedOut) {
        public boolean succeeded() {
            return !timedOut && exitCode == 0;
        }

        /** The last non-blank line of standard error (what a failing program says last), or "" when none. */
        public String lastErrorLine() {
            List<String> lines = stderr.lines().filter(l -> !l.isBlank()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
        }
    }

    /**
     * Runs {@code command} with this process's environment plus {@code environment}.
     *
     * @throws IOException when the program cannot be started (not found, not executable)
     */
    public static Output run(List<String> command, Map<String, String> environment, Duration timeout)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process p = builder.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = readAsync(p.getInputStream());
        CompletableFuture<String> err = readAsync(p.getErrorStream());
        try {
            boolean ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            return new Output(ended ? p.exitValue() : -1, out.get(), err.get(), !ended);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command.get(0), e.getCause());
        }
    }

    private static CompletableFuture<String> readAsync(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | UncheckedIOException e) {
                text.completeExceptionally(e);
            }
        }, "child-process-output");
        reader.setDaemon(true);
        reader.start();
        return text;
    }
}
