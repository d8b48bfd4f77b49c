package io.readout.datasets.builders;

import io.readout.datasets.Example;
import io.readout.datasets.ImageShape;
import io.readout.datasets.InMemorySource;
import io.readout.datasets.idx.IdxFolder;
import io.readout.datasets.idx.IdxSplits;
import io.readout.datasets.idx.LabelMap;
import io.readout.datasets.io.HadoopInputs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Any MNIST-family IDX folder as a plain classification dataset: the kept classes under their
 * mapped labels, 1 channel, split by {@link IdxSplits}. There is no spurious attribute, so the
 * group of an example is its label (worst-group accuracy is then worst-class accuracy).
 */
public final class IdxSource extends InMemorySource {
    private final HadoopInputs inputs;
    private final String dir;
    private final LabelMap labels;
    private final double valFraction;
    private final double testFraction;
    private final long seed;
    private ImageShape shape;

    public IdxSource(HadoopInputs inputs, String dir, LabelMap labels, double valFraction, double testFraction,
                     long seed) {
        this.inputs = inputs;
        this.dir = dir;
        this.labels = labels;
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "idx";
    }

    @Override
    public List<Example> build() {
        IdxFolder folder = new IdxFolder(inputs, dir, "--images");
        List<Example> out = new ArrayList<>();
        for (IdxSplits.Item item : IdxSplits.assign(folder, labels, valFraction, testFraction, seed)) {
            var images = item.source().images();
            shape = new ImageShape(images.rows(), images.cols(), 1);
            out.add(Example.image(item.sourceId(), item.split(), item.label(), null, item.label(),
                    images.image(item.index()), shape));
        }
        return out;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("images", dir);
        d.put("label_map", labels == null ? "identity" : labels.asMap());
        d.put("val_fraction", valFraction);
        d.put("test_fraction", testFraction);
        d.put("seed", seed);
        d.put("groups", "label (no spurious attribute)");
        if (shape != null) {
            d.put("image_shape", shape.toJson());
        }
        return d;
    }
}
