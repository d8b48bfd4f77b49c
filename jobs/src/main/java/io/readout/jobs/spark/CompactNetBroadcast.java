package io.readout.jobs.spark;

import java.io.Serial;
import java.io.Serializable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * dl4j-spark's broadcast of a network (configuration, parameters, updater state) for one averaging round, written
 * with its arrays as {@link ArrayBytes}: the driver serializes a new one every round, and each executor that is not
 * the driver's JVM reads it back. It is read back as a plain {@link NetBroadcastTuple}, so the workers see exactly
 * what dl4j-spark's own broadcast gives them.
 */
public final class CompactNetBroadcast extends NetBroadcastTuple {
    @Serial
    private static final long serialVersionUID = 1L;

    public CompactNetBroadcast(ComputationGraphConfiguration configuration, INDArray parameters,
                               INDArray updaterState) {
        super(configuration, parameters, updaterState);
    }

    @Serial
    private Object writeReplace() {
        if (!ArrayBytes.carries(getParameters(), getUpdaterState())) {
            return new NetBroadcastTuple(getGraphConfiguration(), getParameters(), getUpdaterState());
        }
        return new Form(getGraphConfiguration(), ArrayBytes.of(getParameters()), ArrayBytes.of(getUpdaterState()));
    }

    /** The serialized form. */
    private record Form(ComputationGraphConfiguration configuration, ArrayBytes parameters, ArrayBytes updaterState)
            implements Serializable {
        @Serial
        private Object readResolve() {
            return new NetBroadcastTuple(configuration, ArrayBytes.array(parameters), ArrayBytes.array(updaterState));
        }
    }
}
