package io.readout.common.nets;

import io.readout.common.BadInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * The runtime {@link EmbeddingBag}: plain Java loops over the ids and the rows they name, in a fixed order,
 * so forward and backward give the same bits on every run and every CPU. For an example with non-padding ids
 * t<sub>1</sub> … t<sub>c</sub> (c ≥ 1), output = (1/c)·Σ W[t<sub>j</sub>] (summed in double, rounded once);
 * with c = 0, zeros. Backward, row t of the gradient of W is Σ ε<sub>i</sub> / c<sub>i</sub> over every
 * non-padding occurrence of t in example i (a repeated id counts each time), every other row 0; no input
 * gradient ({@code null}, as DL4J's own embedding layers return, the layer being first).
 *
 * <p>Ids are checked on every pass: an id that is not an integer in [0, nIn) is a {@link BadInputException}
 * naming the value, the example and the position (e.g. data featurized with another vocabulary).
 */
final class EmbeddingBagLayer extends BaseLayer<EmbeddingBag> {
    EmbeddingBagLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /**
     * One minibatch's ids, checked: {@code ids[i·length + j]} (0 for padding) and {@code counts[i]}, the number of
     * non-padding positions of example i.
     */
    private record Bags(int examples, int length, int[] ids, int[] counts) {
    }

    private Bags bags() {
        if (input.rank() != 2) {
            throw new BadInputException(layerName() + " takes [examples, ids] arrays, got shape "
                    + Arrays.toString(input.shape()));
        }
        int n = Math.toIntExact(input.size(0));
        int length = Math.toIntExact(input.size(1));
        if (length != layerConf().getLength()) {
            throw new BadInputException(layerName() + " takes " + layerConf().getLength()
                    + " token ids per example, got " + length);
        }
        long vocabulary = layerConf().getNIn();
        double[] raw = input.dup('c').data().asDouble();
        int[] ids = new int[n * length];
        int[] counts = new int[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < length; j++) {
                double v = raw[i * length + j];
                if (!(v >= 0 && v < vocabulary) || v != Math.rint(v)) {
                    throw new BadInputException(layerName() + ": token id " + v + " (example " + i + ", position " + j
                            + ") is not an integer in [0, " + vocabulary + ")");
                }
                int id = (int) v;
                ids[i * length + j] = id;
                if (id != EmbeddingBag.PADDING) {
                    counts[i]++;
                }
            }
        }
        return new Bags(n, length, ids, counts);
    }

    private String layerName() {
        return "embedding bag '" + layerConf().getLayerName() + "'";
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        Bags b = bags();
        INDArray w = getParam(EmbeddingBagParams.WEIGHT_KEY);
        int width = Math.toIntExact(w.size(1));
        INDArray out = workspaceMgr.create(ArrayType.ACTIVATIONS, dataType, new long[] {b.examples(), width}, 'c');
        DataBuffer weights = w.data();
        DataBuffer output = out.data();
        double[] sum = new double[width];
        for (int i = 0; i < b.examples(); i++) {
            if (b.counts()[i] == 0) {
                continue; // all padding: the zeros create() filled in
            }
            Arrays.fill(sum, 0);
            for (int j = 0; j < b.length(); j++) {
                int id = b.ids()[i * b.length() + j];
                if (id != EmbeddingBag.PADDING) {
                    long row = (long) id * width;
                    for (int k = 0; k < width; k++) {
                        sum[k] += weights.getDouble(row + k);
                    }
                }
            }
            for (int k = 0; k < width; k++) {
                output.put((long) i * width + k, sum[k] / b.counts()[i]);
            }
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Bags b = bags();
        INDArray gradW = gradientViews.get(EmbeddingBagParams.WEIGHT_KEY);
        int width = Math.toIntExact(gradW.size(1));
        double[] eps = epsilon.dup('c').data().asDouble();
        // The used rows, accumulated in double in a compact array (slot per distinct id, in order of first use).
        int[] slot = new int[Math.toIntExact(layerConf().getNIn())];
        Arrays.fill(slot, -1);
        int[] rowIds = new int[Math.min(b.ids().length, slot.length)];
        double[] rows = new double[rowIds.length * width];
        int used = 0;
        for (int i = 0; i < b.examples(); i++) {
            int count = b.counts()[i];
            for (int j = 0; j < b.length() && count > 0; j++) {
                int id = b.ids()[i * b.length() + j];
                if (id == EmbeddingBag.PADDING) {
                    continue;
                }
                if (slot[id] < 0) {
                    slot[id] = used;
                    rowIds[used++] = id;
                }
                int base = slot[id] * width;
                for (int k = 0; k < width; k++) {
                    rows[base + k] += eps[i * width + k] / count;
                }
            }
        }
        gradW.assign(0);
        DataBuffer gradient = gradW.data();
        for (int s = 0; s < used; s++) {
            long row = (long) rowIds[s] * width;
            for (int k = 0; k < width; k++) {
                gradient.put(row + k, rows[s * width + k]);
            }
        }
        Gradient g = new DefaultGradient();
        g.gradientForVariable().put(EmbeddingBagParams.WEIGHT_KEY, gradW);
        return new Pair<>(g, null);
    }

    @Override
    public boolean hasBias() {
        return false;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }
}
