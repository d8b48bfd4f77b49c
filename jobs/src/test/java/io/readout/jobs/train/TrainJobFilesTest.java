package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.List;

import static io.readout.jobs.train.TrainConfigJsonTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A checkpoint's state.json and JTT's jtt_errors.json as records: files of runs written before them read back. */
class TrainJobFilesTest {

    @ParameterizedTest
    @ValueSource(strings = {"erm", "sifer"})
    void checkpointStatesReadAndWriteBackTheSameBytes(String run) throws IOException {
        String text = fixture(run + "/checkpoints/epoch=0002/state.json");
        TrainJob.CheckpointState state = Json.mapper().readValue(text, TrainJob.CheckpointState.class);
        assertEquals(2, state.epoch());
        assertEquals(text, Json.write(state));
    }

    @Test
    void theErrorSetReadsAndWritesBackTheSameBytes() {
        String text = fixture("jtt/jtt_errors.json");
        Jtt.ErrorSet errors = Jtt.ErrorSet.read(text, "jtt_errors.json");
        assertEquals(new Jtt.ErrorSet("stage1/model.zip", "train", 256, 78, List.of(
                new Jtt.ErrorSet.GroupErrors(0, 122, 69), new Jtt.ErrorSet.GroupErrors(1, 6, 6),
                new Jtt.ErrorSet.GroupErrors(2, 6, 3), new Jtt.ErrorSet.GroupErrors(3, 122, 0))), errors);
        assertEquals(text, Json.write(errors));
        assertEquals("jtt error set: 78 of 256 training examples; by group: 0: 69/122 1: 6/6 2: 3/6 3: 0/122",
                errors.describe());
        assertEquals("e.json: not valid JSON: Unexpected end-of-input: expected close marker for Object",
                assertThrows(BadInputException.class, () -> Jtt.ErrorSet.read("{", "e.json")).getMessage()
                        .replaceAll(" \\(.*", ""));
    }
}
