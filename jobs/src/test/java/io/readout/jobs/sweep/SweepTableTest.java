package io.readout.jobs.sweep;

import io.readout.common.Json;
import io.readout.jobs.cli.TrainCommand;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepTableTest {
    private static TrialResult result(int trial, double valAcc, double valWga, double testAcc) {
        return new TrialResult(trial, "/s/trials/trial=000" + trial, TrialResult.COMPLETE, TestValues.values("lr", 0.1 * (trial + 1)),
                "{}", 2, new TrialResult.Scores(valAcc, valWga, (valAcc + valWga) / 2),
                new TrialResult.Scores(testAcc, 0.5, 0.6), null, null, 3.5, null);
    }

    private static TrialResult diverged(int trial) {
        return new TrialResult(trial, "/s/trials/trial=000" + trial, TrialResult.DIVERGED, TestValues.values("lr", 10.0), "{}",
                null, null, null, null, null, 1.0, "epoch 1: the training loss is NaN");
    }

    @Test
    void theWinnerIsTheBestValidationFigureTiesToTheLowerTrial() {
        List<TrialResult> results = List.of(result(0, 0.80, 0.40, 0.99), result(1, 0.90, 0.60, 0.10),
                result(2, 0.90, 0.70, 0.20), diverged(3));
        assertEquals(1, SweepTable.winner(results, "val_accuracy").orElseThrow().trial(), "a tie goes to the lower id");
        assertEquals(2, SweepTable.winner(results, "val_wga").orElseThrow().trial());
        assertEquals(2, SweepTable.winner(results, "val_group_mean").orElseThrow().trial());
        assertEquals(1, SweepTable.winner(List.of(results.get(2), results.get(1)), "val_accuracy").orElseThrow().trial(),
                "whatever the order of the list");
        assertTrue(SweepTable.winner(List.of(diverged(0)), "val_accuracy").isEmpty(), "a diverged trial never wins");
        assertTrue(SweepTable.winner(List.of(), "val_accuracy").isEmpty());
    }

    @Test
    void rowsHaveAColumnPerSearchedFlagTypedByItsValues() {
        Map<String, List<FlagValue>> space = TestValues.space("lr", List.of(0.1, 0.2, 0.30000000000000004, 10.0),
                "averaging-frequency", List.of(5));
        List<TrialResult> results = List.of(
                new TrialResult(0, "/r0", TrialResult.COMPLETE, TestValues.values("lr", 0.1, "averaging-frequency", 5), "{\"a\":1}", 2,
                        new TrialResult.Scores(0.9, 0.5, 0.7), new TrialResult.Scores(0.8, 0.4, 0.6),
                        new TrialResult.Scores(0.85, 0.45, 0.65), new TrialResult.Scores(0.75, 0.35, 0.55), 3.0, null),
                new TrialResult(3, "/r3", TrialResult.DIVERGED, TestValues.values("lr", 10.0, "averaging-frequency", 5), "{}", null,
                        null, null, null, null, 1.0, "NaN"));
        assertEquals(List.of("trial", "run", "status", "config", "lr", "averaging_frequency", "selected_epoch",
                "val_accuracy", "val_wga", "val_group_mean", "test_accuracy", "test_wga", "test_group_mean",
                "final_val_accuracy", "final_val_wga", "final_val_group_mean", "final_test_accuracy", "final_test_wga",
                "final_test_group_mean", "seconds"),
                List.of(SweepTable.schema(space).fieldNames()));
        assertEquals(DataTypes.DoubleType, SweepTable.schema(space).apply("lr").dataType());
        assertEquals(DataTypes.LongType, SweepTable.schema(space).apply("averaging_frequency").dataType());
        List<Row> rows = SweepTable.rows(results, space);
        assertEquals(List.of(0, "/r0", "complete", "{\"a\":1}", 0.1, 5L, 2, 0.9, 0.5, 0.7, 0.8, 0.4, 0.6, 0.85, 0.45,
                0.65, 0.75, 0.35, 0.55, 3.0),
                IntStream.range(0, rows.get(0).size()).mapToObj(rows.get(0)::get).toList());
        assertNull(rows.get(1).get(6));
        assertNull(rows.get(1).get(7));
        assertEquals(DataTypes.StringType, SweepTable.type(TestValues.list(List.of(1, "a"))));
        assertEquals(DataTypes.BooleanType, SweepTable.type(TestValues.list(List.of(true, false))));
    }

    @Test
    void trialRecordsReadBackAsWritten() throws IOException {
        Trial trial = new Trial(1, TestValues.values("lr", 0.2), List.of(), TrainCommand.flags().parse(List.of(
                "--arch=student", "--data=/d", "--out=/s/trials/trial=0001", "--lr=0.2")).config());
        TrialResult complete = new TrialResult(1, "/s/trials/trial=0001", TrialResult.COMPLETE, TestValues.values("lr", 0.2),
                SweepSpec.compactJson(trial.config().toJson()), 2, new TrialResult.Scores(0.9, 0.5, 0.7),
                new TrialResult.Scores(0.8, 0.4, 0.6), new TrialResult.Scores(0.85, 0.45, 0.65),
                new TrialResult.Scores(0.75, 0.35, 0.55), 3.5, null);
        TrialResult diverged = new TrialResult(1, "/s/trials/trial=0001", TrialResult.DIVERGED, TestValues.values("lr", 0.2),
                complete.config(), null, null, null, null, null, 1.5, "epoch 1: the training loss is NaN");
        for (TrialResult r : List.of(complete, diverged)) {
            assertEquals(r, TrialResult.fromJson(Json.mapper().readTree(Json.write(r.toJson())), trial, r.run(),
                    "trial.json"));
        }
    }

    @Test
    void theTableMarksTheWinner() {
        List<TrialResult> results = List.of(result(0, 0.8, 0.4, 0.9), result(1, 0.9, 0.6, 0.7), diverged(2));
        String table = SweepTable.format(results, List.of("lr"), results.get(1));
        List<String> lines = table.lines().toList();
        assertEquals(4, lines.size(), table);
        assertEquals(List.of("trial", "lr", "status", "epoch", "val_acc", "val_wga", "val_gm", "test_acc", "test_wga",
                "test_gm", "final_test_acc", "final_test_wga", "seconds"), List.of(lines.get(0).split("\\s+")), table);
        assertEquals(List.of("*0001", "0.2", "complete", "2", "0.9000", "0.6000", "0.7500", "0.7000", "0.5000", "0.6000",
                "-", "-", "3.5"), List.of(lines.get(2).split("\\s+")), table);
        assertEquals(List.of("", "0002", "10.0", "diverged", "-", "-", "-", "-", "-", "-", "-", "-", "-", "1.0"),
                List.of(lines.get(3).split("\\s+")), table);
    }
}
