package io.readout.common.nets;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stop-gradient vertex for a {@link ComputationGraph}: forward, its one input passes through
 * unchanged; backward, it returns a zero error, so nothing below it learns from anything above it.
 * The aux and early-readout heads sit behind one ({@link Networks#READOUT_STOP}): their loss
 * trains the head and never reaches the main network.
 *
 * <p>This is the configuration vertex; it has no fields and serialises to the graph's JSON as
 * {@code {"@class": "io.readout.common.nets.StopGradientVertex"}}, so saved models name this
 * class: keep its name and package. {@link Impl} is what runs in a network.
 */
public class StopGradientVertex extends GraphVertex {
    private static final long serialVersionUID = 1L;

    public StopGradientVertex() {
    }

    @Override
    public StopGradientVertex clone() {
        return new StopGradientVertex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StopGradientVertex;
    }

    @Override
    public int hashCode() {
        return StopGradientVertex.class.getName().hashCode();
    }

    @Override
    public String toString() {
        return "StopGradientVertex()";
    }

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return 1;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
                                                                      INDArray paramsView, boolean initializeParams,
                                                                      DataType networkDatatype) {
        return new Impl(graph, name, idx, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) throws InvalidInputTypeException {
        if (vertexInputs.length != 1) {
            throw new InvalidInputTypeException("StopGradientVertex takes exactly one input, got " + vertexInputs.length);
        }
        return vertexInputs[0];
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        // No parameters, no cache; the forward copy is the output activations, the zero error is the
        // activation gradient every vertex has.
        return new LayerMemoryReport.Builder(null, StopGradientVertex.class, inputTypes[0], getOutputType(-1, inputTypes))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    /** The runtime vertex: identity forward, zero error backward. */
    public static final class Impl extends BaseGraphVertex {
        private static final long serialVersionUID = 1L;

        public Impl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
            super(graph, name, vertexIndex, null, null, dataType);
        }

        @Override
        public boolean hasLayer() {
            return false;
        }

        @Override
        public Layer getLayer() {
            return null;
        }

        /**
         * A copy of the input in the activations workspace, as DL4J's own identity (a one-input
         * ElementWiseVertex) does: the graph lets a vertex's only consumer overwrite its input in place
         * ({@code allowInputModification}), and this input also feeds the main network.
         */
        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoForward()) {
                throw new IllegalStateException("Cannot do forward pass: input not set (" + this + ")");
            }
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, inputs[0]);
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
            if (!canDoBackward()) {
                throw new IllegalStateException("Cannot do backward pass: error not set (" + this + ")");
            }
            // create(), unlike createUninitialized(), fills with zeros.
            INDArray zero = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(),
                    epsilon.ordering());
            return new Pair<>(null, new INDArray[] {zero});
        }

        @Override
        public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
            if (backpropGradientsViewArray != null) {
                throw new IllegalStateException("StopGradientVertex has no parameters, so no gradient view (" + this + ")");
            }
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                               int minibatchSize) {
            if (maskArrays == null || maskArrays.length == 0) {
                return null;
            }
            return new Pair<>(maskArrays[0], currentMaskState);
        }

        @Override
        public String toString() {
            return "StopGradientVertex(id=" + vertexIndex + ",name=\"" + vertexName + "\")";
        }
    }
}
