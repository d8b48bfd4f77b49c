package io.readout.jobs.bench;

import io.readout.common.BadInputException;
import io.readout.common.MachineCpu;
import io.readout.common.nets.Architecture;
import io.readout.jobs.bench.PytorchBaseline.TorchInfo;
import io.readout.jobs.bench.PytorchBaseline.TorchRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch side without PyTorch: the JSON lines of pytorch_baseline.py's --info and --once as written by hand,
 * and {@link PytorchBaseline#find} and {@link PytorchBaseline#run} on a stand-in script run by /bin/sh, which
 * answers as the real one does (and echoes the thread limit it was given).
 */
class PytorchBaselineTest {
    private static final String INFO = "{\"python\": \"/usr/bin/python3\", \"torch\": \"1.13.0a0\", "
            + "\"cpu_capability\": \"AVX2\", \"blas_info\": \"generic\", \"blas_loaded\": "
            + "[\"/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0\"], \"mkldnn\": \"v2.6.3\", "
            + "\"parallel\": \"ATen parallel backend: OpenMP\", \"cpu\": {\"model\": \"AMD EPYC\", \"cores\": 2, "
            + "\"isa\": [\"avx2\"], \"source\": \"/proc/cpuinfo\"}, \"a_later_field\": true}";

    @TempDir
    Path tmp;

    @Test
    void theInfoLineAmongOtherOutput() {
        TorchInfo info = PytorchBaseline.parseInfo("/usr/lib/python3/dist-packages/torch/x.py: UserWarning: w\n"
                + INFO + "\n", "info");
        assertEquals(new TorchInfo("/usr/bin/python3", "1.13.0a0", "AVX2", "generic",
                List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0"), "v2.6.3", "ATen parallel backend: OpenMP",
                new MachineCpu("AMD EPYC", 2, List.of("avx2"), MachineCpu.PROC_CPUINFO)), info);
        assertEquals("torch 1.13.0a0 (/usr/bin/python3), CPU capability AVX2, BLAS "
                + "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0 (BLAS_INFO generic), oneDNN v2.6.3", info.describe());
    }

    @Test
    void theRunLineAndOutputsThatAreNotOne() {
        TorchRun run = PytorchBaseline.parseRun("{\"net\": \"student\", \"threads\": 2, \"torch_threads\": 2, "
                + "\"examples\": 1000, \"batch\": 64, \"shape\": [1, 16, 16], \"classes\": 2, \"warmup_steps\": 10, "
                + "\"seconds\": 0.25, \"examples_per_second\": 4000.0, \"process_cpu_per_wall\": 1.9}\n", "once");
        assertEquals(new TorchRun("student", 2, 2, 1000, 64, 0.25, 4000.0, 1.9), run);
        assertEquals("once printed no JSON line: Traceback", assertThrows(IllegalStateException.class,
                () -> PytorchBaseline.parseRun("Traceback\n", "once")).getMessage());
        assertTrue(assertThrows(IllegalStateException.class, () -> PytorchBaseline.parseRun(
                "{\"net\": \"student\", \"examples\": 0}", "once")).getMessage().startsWith("once: no examples/s in"));
        assertTrue(assertThrows(BadInputException.class, () -> PytorchBaseline.parseRun("{\"net\": ", "once"))
                .getMessage().startsWith("once: not valid JSON"));
    }

    @Test
    void findTakesTheFirstPythonThatAnswersAndRunPassesTheThreadsOn() throws IOException {
        Path script = standIn();
        PytorchBaseline.Found found = PytorchBaseline.find(List.of(tmp.resolve("no-python").toString(), "/bin/sh"),
                script, false, "--python x");
        PytorchBaseline torch = found.baseline().orElseThrow();
        assertEquals("1.13.0a0", torch.info().torch());
        List<TorchRun> timed = new ArrayList<>();
        SideBySide.Trial trial = torch.trial(Architecture.TEACHER, 2, 640, 64, new int[] {1, 56, 28}, 2, 0, timed);
        assertEquals("teacher, pytorch, 2 thread(s)", trial.name());
        assertEquals(2560.0, trial.timed().getAsDouble(), 1e-9);
        assertEquals(List.of(new TorchRun("teacher", 2, 2, 640, 64, 0.25, 2560.0, 2.0)), timed,
                "OMP_NUM_THREADS=2 reached the script");
        trial.warmUp().getAsDouble();
        assertEquals(1, timed.size(), "warm-ups are not recorded");
    }

    @Test
    void withoutAPythonWithTorchOrAScriptItSaysWhyOrIsBadInputWhenAskedFor() throws IOException {
        Path missing = tmp.resolve("missing.py");
        assertEquals("no PyTorch script at " + missing + " (run from the repository root, or give --script)",
                PytorchBaseline.find(List.of("/bin/sh"), missing, false, "--script x").absent().orElseThrow());
        assertEquals("--script " + missing + ": no such file", assertThrows(BadInputException.class,
                () -> PytorchBaseline.find(List.of("/bin/sh"), missing, true, "--script " + missing)).getMessage());

        Path failing = Files.writeString(tmp.resolve("failing.sh"),
                "echo \"ModuleNotFoundError: No module named 'torch'\" >&2\nexit 1\n");
        String none = tmp.resolve("none").toString();
        PytorchBaseline.Found found = PytorchBaseline.find(List.of("/bin/sh", none), failing, false, "--python x");
        assertTrue(found.baseline().isEmpty());
        String why = found.absent().orElseThrow();
        assertTrue(why.startsWith("no Python with torch: /bin/sh (ModuleNotFoundError: No module named 'torch'), "
                + none + " (cannot run: "), why);
        assertTrue(assertThrows(BadInputException.class, () -> PytorchBaseline.find(List.of("/bin/sh"), failing, true,
                "--python /bin/sh")).getMessage().startsWith("--python /bin/sh: no Python with torch: /bin/sh ("));
    }

    /** A script that answers --info with {@link #INFO} and --once with 0.25 s and OMP_NUM_THREADS as torch's threads. */
    private Path standIn() throws IOException {
        return Files.writeString(tmp.resolve("stand-in.sh"), """
                case "$1" in
                  --info) echo 'a warning first'; echo '%s' ;;
                  --once) echo "{\\"net\\": \\"$3\\", \\"threads\\": $5, \\"torch_threads\\": $OMP_NUM_THREADS, \\
                \\"examples\\": $7, \\"batch\\": $9, \\"seconds\\": 0.25, \\"examples_per_second\\": $(($7 * 4)), \\
                \\"process_cpu_per_wall\\": $OMP_NUM_THREADS}" ;;
                esac
                """.formatted(INFO));
    }
}
