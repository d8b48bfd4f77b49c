package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WarmStartTest {
    private static ComputationGraph net(Architecture arch, long seed) {
        return Networks.build(NetworkConfig.image(arch, 1, 16, 16, 2, "adam", 1e-3, 0, seed));
    }

    @Test
    void aRunStartsFromTheModelsWeights() {
        ComputationGraph trained = net(Architecture.STUDENT, 1);
        ComputationGraph fresh = net(Architecture.STUDENT, 2);
        assertNotEquals(trained.params(), fresh.params());
        WarmStart.copy(trained, fresh, "--init m.zip");
        assertEquals(trained.params(), fresh.params());
        assertEquals(trained.paramTable().keySet(), fresh.paramTable().keySet());
    }

    @Test
    void aModelOfAnotherArchitectureIsRefused() {
        String message = assertThrows(BadInputException.class, () -> WarmStart.copy(net(Architecture.TEACHER, 1),
                net(Architecture.STUDENT, 2), "--init teacher.zip")).getMessage();
        assertTrue(message.startsWith("--init teacher.zip: a model of another architecture ("), message);
    }
}
