package io.readout.jobs.bench;

import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.jobs.bench.ThroughputBenchmark.Pass;
import io.readout.jobs.bench.ThroughputBenchmark.PassKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.readout.common.nets.Architecture.STUDENT;
import static io.readout.common.nets.Architecture.TEACHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arithmetic and the pass list of {@link ThroughputBenchmark}, without Spark. */
class ThroughputBenchmarkTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void anEpochTakesTheRowsOverTheRate() {
        assertEquals(2.0, ThroughputBenchmark.epochSeconds(3000, 1500), TOLERANCE);
    }

    @Test
    void aPassIsItsMedianSecondsOverOneEpoch() {
        Pass fast = new Pass(new PassKind(ThroughputBenchmark.PREDICT, STUDENT), List.of(0.5, 0.7, 0.6), 2.0);
        assertEquals(0.6, fast.median(), TOLERANCE);
        assertEquals(0.3, fast.fractionOfEpoch(), TOLERANCE);
        assertTrue(fast.meetsTarget());
        Pass atTarget = new Pass(new PassKind(ThroughputBenchmark.PREDICT, STUDENT), List.of(0.7), 2.0);
        assertTrue(atTarget.meetsTarget(), "0.35 of an epoch meets a target of at most 0.35");
        Pass slow = new Pass(new PassKind(ThroughputBenchmark.TEACHER_PROBS, TEACHER), List.of(0.9, 0.7), 2.0);
        assertEquals(0.4, slow.fractionOfEpoch(), TOLERANCE);
        assertFalse(slow.meetsTarget());
    }

    @Test
    void thePassesFollowTheArchitectures() {
        assertEquals(List.of(new PassKind("predict", TEACHER), new PassKind("predict", STUDENT),
                new PassKind("teacher probs", TEACHER),
                new PassKind("weights", STUDENT)),
                ThroughputBenchmark.passKinds(List.of(TEACHER, STUDENT)));
        assertEquals(List.of(new PassKind("predict", STUDENT), new PassKind(ThroughputBenchmark.WEIGHTS, STUDENT)),
                ThroughputBenchmark.passKinds(List.of(STUDENT)));
        assertEquals(List.of(new PassKind("predict", TEACHER), new PassKind("teacher probs", TEACHER)),
                ThroughputBenchmark.passKinds(List.of(TEACHER)));
    }

    @Test
    void badFlagsNameTheFlag() {
        assertEquals("--archs 'huge' is not one of teacher, student",
                assertThrows(BadInputException.class, () -> ThroughputBenchConfig.parseArchs(List.of("teacher", "huge")))
                        .getMessage());
        assertEquals("--archs [student, student] names an architecture twice",
                assertThrows(BadInputException.class, () -> config(List.of(STUDENT, STUDENT), 2, 256).validate())
                        .getMessage());
        assertEquals("--repeats 0 must be at least 1",
                assertThrows(BadInputException.class, () -> config(List.of(STUDENT), 0, 256).validate()).getMessage());
        assertEquals("--pass-batch 0 must be at least 1",
                assertThrows(BadInputException.class, () -> config(List.of(STUDENT), 2, 0).validate()).getMessage());
        assertEquals(List.of(TEACHER, STUDENT), config(List.of(TEACHER, STUDENT), 2, 256).validate().archs());
    }

    private static ThroughputBenchConfig config(List<Architecture> archs, int repeats, int passBatch) {
        return new ThroughputBenchConfig(null, archs, 1, 64, 0, 10, "direct", 0, List.of(1), passBatch, 0, repeats,
                null, 0);
    }
}
