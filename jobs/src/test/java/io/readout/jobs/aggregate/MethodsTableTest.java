package io.readout.jobs.aggregate;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The closing tables of a pipeline with seeds: mean ± std per cell, and the paired differences. */
class MethodsTableTest {
    private static AggregateFiles.Method m(String run, String model, String split, String metric, double mean, Double std) {
        return new AggregateFiles.Method(run, model, split, metric, new SeedSummary(mean, std, mean, mean, std == null ? 1 : 2));
    }

    @Test
    void eachCellIsMeanPlusMinusStd() {
        List<AggregateFiles.Method> methods = new ArrayList<>();
        for (String model : List.of("final", "best")) {
            methods.add(m("student dedier", model, "val", "accuracy", 0.81, 0.0125));
            methods.add(m("student dedier", model, "val", "wga", 0.5, 0.25));
            methods.add(m("student dedier", model, "test", "accuracy", 0.77465, 0.02041));
            methods.add(m("student dedier", model, "test", "wga", 0.625, null));
        }
        String[] lines = MethodsTable.formatSeeds(methods, List.of(0L, 1L)).split("\n");
        assertEquals(4, lines.length);
        assertEquals("run                model            val acc           val wga          test acc          test wga"
                + "        test gmean", lines[0]);
        assertEquals("student dedier     final    0.8100 ± 0.0125   0.5000 ± 0.2500   0.7747 ± 0.0204        0.6250 ± -"
                + "                 -", lines[1]);
        assertEquals("student dedier     best  ", lines[2].substring(0, 25));
        assertEquals("mean ± std over 2 seeds (0, 1)", lines[3]);
    }

    @Test
    void pairedDifferencesAreSignedAndOnlyForBaselinesThatRan() {
        List<AggregateFiles.Paired> paired = List.of(
                new AggregateFiles.Paired("student kd", "student erm", "final", "test", "wga",
                        new SeedSummary(0.012, 0.03, -0.01, 0.04, 3)),
                new AggregateFiles.Paired("student kd", "student erm", "best", "test", "wga",
                        new SeedSummary(-0.25, 0.0, -0.25, -0.25, 3)),
                new AggregateFiles.Paired("student kd", "student erm", "final", "test", "accuracy",
                        new SeedSummary(0.5, 0.0, 0.5, 0.5, 3)));
        String[] lines = MethodsTable.formatPaired(paired, List.of("teacher erm", "student erm", "student kd")).split("\n");
        assertEquals(List.of("test wga minus the baseline's, paired by seed (mean ± std):",
                "run                  final vs student erm    best vs student erm",
                "student kd               +0.0120 ± 0.0300       -0.2500 ± 0.0000"), List.of(lines));
        assertEquals("", MethodsTable.formatPaired(List.of(), List.of("student kd")));
    }
}
