package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.BadInputException;
import io.readout.common.ChildProcess;
import io.readout.common.MachineCpu;
import io.readout.common.nets.Architecture;
import io.readout.jobs.bench.SideBySide.Trial;
import io.readout.jobs.io.JsonFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PyTorch side of {@code readout bench compare}: docs/bench/pytorch_baseline.py run by a Python that has
 * torch, one child process per measurement, each printing one JSON line. {@link #find} looks for that Python
 * ({@code --info}: torch's version, CPU capability, BLAS, oneDNN); {@link #run} trains one net on one thread
 * count over a given number of examples ({@code --once}) and returns what the script measured (its own
 * warm-up, then one timed pass; the interpreter's start is not timed). The child's OpenMP and BLAS thread
 * pools are limited to the thread count through its environment as well as by {@code torch.set_num_threads}.
 */
public final class PytorchBaseline {
    /** The script, relative to the repository root (where the launcher is run from). */
    public static final String DEFAULT_SCRIPT = "docs/bench/pytorch_baseline.py";
    /** Debian's python3-torch lives in the system Python, which a pyenv or venv python3 on the PATH hides. */
    public static final List<String> DEFAULT_PYTHONS = List.of("/usr/bin/python3", "python3");
    /** Minibatches each measurement runs untimed in its own process before its timed pass. */
    public static final int WARMUP_STEPS = 10;
    private static final Duration INFO_TIMEOUT = Duration.ofMinutes(2);

    private final String python;
    private final TorchInfo info;
    private final Path script;

    private PytorchBaseline(String python, TorchInfo info, Path script) {
        this.python = python;
        this.info = info;
        this.script = script;
    }

    /** What {@code --info} prints: the Python, torch and what its kernels run on. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"python", "torch", "cpu_capability", "blas_info", "blas_loaded", "mkldnn", "parallel", "cpu"})
    public record TorchInfo(String python, String torch, @JsonProperty("cpu_capability") String cpuCapability,
                            @JsonProperty("blas_info") String blasInfo,
                            @JsonProperty("blas_loaded") List<String> blasLoaded, String mkldnn, String parallel,
                            MachineCpu cpu) {
        /** One line for the printed header. */
        public String describe() {
            return "torch " + torch + " (" + python + "), CPU capability " + cpuCapability + ", BLAS "
                    + (blasLoaded == null || blasLoaded.isEmpty() ? "not seen loaded" : String.join(" ", blasLoaded))
                    + " (BLAS_INFO " + blasInfo + "), oneDNN " + (mkldnn == null ? "not available" : mkldnn);
        }
    }

    /** What {@code --once} prints: one timed pass of one net on one thread count. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TorchRun(String net, int threads, @JsonProperty("torch_threads") int torchThreads, long examples,
                           int batch, double seconds, @JsonProperty("examples_per_second") double examplesPerSecond,
                           @JsonProperty("process_cpu_per_wall") double processCpuPerWall) {
    }

    /**
     * The outcome of {@link #find}: a baseline, or why there is none.
     *
     * @param absent one line saying why there is no PyTorch side; empty when {@code baseline} is present
     */
    public record Found(Optional<PytorchBaseline> baseline, Optional<String> absent) {
    }

    /**
     * The first of {@code pythons} that runs {@code script --info}.
     *
     * @param required whether the user asked for the comparison explicitly ({@code --python}, {@code --script}):
     *                 then no such Python, or no script, is bad input naming the flag
     * @param flag     how that message names the flag: {@code --python /opt/py/bin/python}
     */
    public static Found find(List<String> pythons, Path script, boolean required, String flag) {
        if (!Files.isRegularFile(script)) {
            String why = "no PyTorch script at " + script + " (run from the repository root, or give --script)";
            if (required) {
                throw new BadInputException("--script " + script + ": no such file");
            }
            return new Found(Optional.empty(), Optional.of(why));
        }
        List<String> tried = new ArrayList<>();
        for (String python : pythons) {
            try {
                ChildProcess.Output out = ChildProcess.run(List.of(python, script.toString(), "--info"), Map.of(),
                        INFO_TIMEOUT);
                if (out.succeeded()) {
                    return new Found(Optional.of(new PytorchBaseline(python, parseInfo(out.stdout(), python + " "
                            + script + " --info"), script)), Optional.empty());
                }
                tried.add(python + " (" + (out.timedOut() ? "no answer in " + INFO_TIMEOUT.toSeconds() + " s"
                        : out.lastErrorLine()) + ")");
            } catch (IOException e) {
                tried.add(python + " (cannot run: " + e.getMessage() + ")");
            }
        }
        String why = "no Python with torch: " + String.join(", ", tried);
        if (required) {
            throw new BadInputException(flag + ": " + why);
        }
        return new Found(Optional.empty(), Optional.of(why));
    }

    public TorchInfo info() {
        return info;
    }

    /**
     * One net trained on {@code threads} threads over {@code examples} examples of shape {@code channels×height×width}
     * with {@code classes} classes, minibatches of {@code batch}; {@value #WARMUP_STEPS} untimed minibatches first.
     */
    public TorchRun run(Architecture arch, int threads, long examples, int batch, int[] chw, int classes, long seed) {
        List<String> command = List.of(python, script.toString(), "--once", "--nets", arch.id(),
                "--threads", String.valueOf(threads), "--examples", String.valueOf(examples), "--batch",
                String.valueOf(batch), "--shape", chw[0] + "," + chw[1] + "," + chw[2], "--classes",
                String.valueOf(classes), "--warmup-steps", String.valueOf(WARMUP_STEPS), "--seed", String.valueOf(seed));
        String t = String.valueOf(threads);
        ChildProcess.Output out;
        try {
            // At least 100 examples/s, and ten minutes for the interpreter, torch's import and the warm-up.
            out = ChildProcess.run(command, Map.of("OMP_NUM_THREADS", t, "MKL_NUM_THREADS", t,
                    "OPENBLAS_NUM_THREADS", t), Duration.ofMinutes(10).plusMillis(10 * examples));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + python + " " + script, e);
        }
        if (!out.succeeded()) {
            throw new IllegalStateException(script + " --once " + arch.id() + " on " + threads + " thread(s) "
                    + (out.timedOut() ? "did not finish in time" : "failed (exit " + out.exitCode() + "): "
                    + out.lastErrorLine()));
        }
        return parseRun(out.stdout(), script + " --once");
    }

    /**
     * A trial of {@link SideBySide}: warm-up a run over one minibatch (a cold interpreter and file cache), timed a run
     * over {@code examples}; each timed run is also added to {@code timed}.
     */
    public Trial trial(Architecture arch, int threads, long examples, int batch, int[] chw, int classes, long seed,
                       List<TorchRun> timed) {
        return new Trial(arch.id() + ", " + mode(threads),
                () -> run(arch, threads, batch, batch, chw, classes, seed).examplesPerSecond(),
                () -> {
                    TorchRun r = run(arch, threads, examples, batch, chw, classes, seed);
                    timed.add(r);
                    return r.examplesPerSecond();
                }, false);
    }

    /** How a PyTorch run is named in the tables: {@code pytorch, 2 thread(s)}. */
    public static String mode(int threads) {
        return "pytorch, " + threads + " thread(s)";
    }

    /** The JSON line of {@code --info} among what the script printed. */
    static TorchInfo parseInfo(String stdout, String where) {
        TorchInfo info = JsonFiles.read(jsonLine(stdout, where), where, TorchInfo.class);
        if (info.torch() == null || info.python() == null) {
            throw new IllegalStateException(where + ": no torch version or python in " + jsonLine(stdout, where));
        }
        return info;
    }

    /** The JSON line of {@code --once} among what the script printed. */
    static TorchRun parseRun(String stdout, String where) {
        TorchRun run = JsonFiles.read(jsonLine(stdout, where), where, TorchRun.class);
        if (!(run.examplesPerSecond() > 0) || run.examples() < 1) {
            throw new IllegalStateException(where + ": no examples/s in " + jsonLine(stdout, where));
        }
        return run;
    }

    /** The last line that is a JSON object. */
    private static String jsonLine(String stdout, String where) {
        List<String> lines = stdout.lines().map(String::strip).filter(l -> l.startsWith("{")).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException(where + " printed no JSON line: " + stdout.strip());
        }
        return lines.get(lines.size() - 1);
    }
}
