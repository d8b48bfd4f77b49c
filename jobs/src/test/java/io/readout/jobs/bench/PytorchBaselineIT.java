package io.readout.jobs.bench;

import io.readout.common.nets.Architecture;
import io.readout.jobs.bench.PytorchBaseline.TorchRun;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * docs/bench/pytorch_baseline.py as {@code bench compare} runs it, with the machine's Python and torch (a few
 * seconds: torch's import, a student on 128 small examples); skipped where no Python has torch.
 */
class PytorchBaselineIT {
    @Test
    void theScriptAnswersInfoAndOneRunAsJson() {
        PytorchBaseline.Found found = PytorchBaseline.find(PytorchBaseline.DEFAULT_PYTHONS,
                Path.of("..", PytorchBaseline.DEFAULT_SCRIPT), false, "--python");
        assumeTrue(found.baseline().isPresent(), () -> "skipped: " + found.absent().orElseThrow()
                + " (Debian: apt-get install python3-torch)");
        PytorchBaseline torch = found.baseline().orElseThrow();
        assertFalse(torch.info().torch().isBlank());
        assertFalse(torch.info().cpu().model().isBlank());

        TorchRun run = torch.run(Architecture.STUDENT, 1, 128, 64, new int[] {1, 16, 16}, 2, 0);
        assertEquals("student", run.net());
        assertEquals(128, run.examples());
        assertEquals(1, run.torchThreads());
        assertTrue(run.examplesPerSecond() > 0 && run.seconds() > 0, run.toString());
        assertEquals(run.examples() / run.seconds(), run.examplesPerSecond(), 1e-6 * run.examplesPerSecond());
    }
}
