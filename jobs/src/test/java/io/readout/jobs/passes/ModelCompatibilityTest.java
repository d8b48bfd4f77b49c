package io.readout.jobs.passes;

import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import io.readout.datasets.DatasetFolders;
import io.readout.datasets.ExamplesTable;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Token-id models and token-id data: accepted together when length and vocabulary agree, refused in one line otherwise. */
class ModelCompatibilityTest {
    private static final String MODEL = "run/model.zip";

    private static ComputationGraph tokensModel(int length, int vocab) {
        return Networks.build(NetworkConfig.tokens(Architecture.STUDENT, length, vocab, 2, "adam", 1e-3, 0, 1));
    }

    private static String refusal(ComputationGraph model, ExamplesTable table) {
        return assertThrows(BadInputException.class,
                () -> ModelCompatibility.require(model, table, MODEL, "--data " + table.dir())).getMessage();
    }

    @Test
    void aTokensModelRunsOnTokensOfItsLengthAndVocabulary(@TempDir Path dir) throws IOException {
        ExamplesTable table = DatasetFolders.open(dir, DatasetFolders.tokensJson(32, "500"));
        ModelCompatibility.require(tokensModel(32, 500), table, MODEL, "--data " + dir);
        // The same table builds the same kind of network.
        ModelCompatibility.require(Networks.build(table.network(Architecture.TEACHER, "adam", 1e-3, 0, 2)), table,
                MODEL, "--data " + dir);
    }

    @Test
    void aTokensModelOnOtherDataIsRefusedNamingBoth(@TempDir Path dir) throws IOException {
        ExamplesTable vectors = DatasetFolders.open(dir.resolve("v"), DatasetFolders.vectorJson(32));
        assertEquals(MODEL + ": the model takes token ids (32 per example, vocabulary of 500), but --data "
                + vectors.dir() + " holds vectors of 32 features", refusal(tokensModel(32, 500), vectors));

        ExamplesTable otherVocabulary = DatasetFolders.open(dir.resolve("t1"), DatasetFolders.tokensJson(32, "501"));
        assertEquals(MODEL + ": the model takes token ids (32 per example, vocabulary of 500), but --data "
                + otherVocabulary.dir() + " holds token ids (32 per example, vocabulary of 501)",
                refusal(tokensModel(32, 500), otherVocabulary));

        ExamplesTable otherLength = DatasetFolders.open(dir.resolve("t2"), DatasetFolders.tokensJson(64, "500"));
        assertEquals(MODEL + ": the model takes token ids (32 per example, vocabulary of 500), but --data "
                + otherLength.dir() + " holds token ids (64 per example, vocabulary of 500)",
                refusal(tokensModel(32, 500), otherLength));
    }

    @Test
    void otherModelsOnTokensAreRefusedNamingBoth(@TempDir Path dir) throws IOException {
        ExamplesTable tokens = DatasetFolders.open(dir, DatasetFolders.tokensJson(32, "500"));
        ComputationGraph mlp = Networks.build(NetworkConfig.vector(Architecture.STUDENT, 32, 2, "adam", 1e-3, 0, 1));
        assertEquals(MODEL + ": the model takes vectors of 32 features, but --data " + tokens.dir()
                + " holds token ids (32 per example, vocabulary of 500)", refusal(mlp, tokens));
        ComputationGraph cnn = Networks.build(NetworkConfig.image(Architecture.STUDENT, 1, 8, 8, 2, "adam", 1e-3, 0, 1));
        assertEquals(MODEL + ": the model takes images, but --data " + tokens.dir()
                + " holds token ids (32 per example, vocabulary of 500)", refusal(cnn, tokens));
    }
}
