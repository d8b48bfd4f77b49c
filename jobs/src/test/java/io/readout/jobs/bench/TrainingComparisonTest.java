package io.readout.jobs.bench;

import io.readout.jobs.bench.TrainingComparison.Run;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The figures of {@link TrainingComparison}, without Spark. */
class TrainingComparisonTest {
    private static final double TOLERANCE = 1e-12;
    private final Run oneThread = new Run("single process, 1 thread(s)", 1, List.of(700.0, 720.0, 710.0));
    private final Run twoThreads = new Run("single process, 2 thread(s)", 2, List.of(900.0, 1000.0));
    private final Run spark = new Run("spark local[2]", 1, List.of(1100.0, 1040.0));
    private final TrainingComparison comparison = new TrainingComparison(List.of(oneThread, twoThreads), spark);

    @Test
    void theRatioIsSparksMedianOverEachSingleProcessMedian() {
        assertEquals(1070.0 / 710.0, comparison.ratio(oneThread), TOLERANCE);
        assertEquals(1070.0 / 950.0, comparison.ratio(twoThreads), TOLERANCE);
        assertEquals(List.of(oneThread, twoThreads, spark), comparison.runs());
    }

    @Test
    void theJsonHoldsEveryRunAndTheRatioPerThreadCount() {
        TrainingComparison.Figures json = comparison.toJson();
        assertEquals(3, json.runs().size());
        assertEquals(new TrainingComparison.RunFigures("spark local[2]", 1, 1070.0, List.of(1100.0, 1040.0)),
                json.runs().get(2));
        assertEquals(Map.of("single_1_threads", 1070.0 / 710.0, "single_2_threads", 1070.0 / 950.0),
                json.sparkOverSingle());
    }
}
