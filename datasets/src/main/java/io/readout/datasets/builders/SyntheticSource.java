package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.common.Seeds;
import io.readout.datasets.Example;
import io.readout.datasets.ImageShape;
import io.readout.datasets.InMemorySource;
import io.readout.datasets.Split;
import io.readout.datasets.idx.IdxSplits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The embedded default dataset, generated from the seed alone: 16x16 grayscale images whose
 * label (the <em>core</em> feature) is the orientation of faint noisy stripes (0 horizontal,
 * 1 vertical, random phase) and whose spurious attribute is a 4x4 corner patch, bright (a = 1)
 * or dark (a = 0): a one-region intensity cue a network picks up long before the stripes. In
 * train exactly round(rho·n) of each class have a == y; val and test are balanced. Group g = 2y + a.
 */
public final class SyntheticSource extends InMemorySource {
    public static final ImageShape SHAPE = new ImageShape(16, 16, 1);
    public static final int PATCH = 4;
    public static final int DEFAULT_N_TRAIN = 2000;
    public static final int DEFAULT_N_VAL = 500;
    public static final int DEFAULT_N_TEST = 500;
    public static final double DEFAULT_CORE_CONTRAST = 0.12;
    public static final double DEFAULT_NOISE = 0.2;

    private final int nTrain;
    private final int nVal;
    private final int nTest;
    private final double rho;
    private final double coreContrast;
    private final double noise;
    private final long seed;

    /**
     * @param coreContrast amplitude of the stripes on a [0,1] scale (lower: harder core feature)
     * @param noise        standard deviation of the per-pixel Gaussian noise
     */
    public SyntheticSource(int nTrain, int nVal, int nTest, double rho, double coreContrast, double noise, long seed) {
        for (int[] n : new int[][] {{nTrain, 't'}, {nVal, 'v'}, {nTest, 's'}}) {
            if (n[0] < 4) {
                String flag = n[1] == 't' ? "--n-train" : n[1] == 'v' ? "--n-val" : "--n-test";
                throw new BadInputException(flag + " " + n[0] + " must be at least 4 (one example per group)");
            }
        }
        if (!(coreContrast > 0 && coreContrast <= 0.5)) {
            throw new BadInputException("--core-contrast " + coreContrast + " is outside (0, 0.5]");
        }
        if (!(noise >= 0 && noise <= 1)) {
            throw new BadInputException("--noise " + noise + " is outside [0, 1]");
        }
        this.nTrain = nTrain;
        this.nVal = nVal;
        this.nTest = nTest;
        this.rho = Rho.require(rho);
        this.coreContrast = coreContrast;
        this.noise = noise;
        this.seed = seed;
    }

    /** The defaults of the demo and the tests: 2,000 / 500 / 500 examples, rho 0.95. */
    public static SyntheticSource defaults(long seed) {
        return new SyntheticSource(DEFAULT_N_TRAIN, DEFAULT_N_VAL, DEFAULT_N_TEST, 0.95, DEFAULT_CORE_CONTRAST,
                DEFAULT_NOISE, seed);
    }

    @Override
    public String name() {
        return "synthetic";
    }

    @Override
    public List<Example> build() {
        List<Example> out = new ArrayList<>(nTrain + nVal + nTest);
        for (Split s : Split.values()) {
            int n = s == Split.TRAIN ? nTrain : s == Split.VAL ? nVal : nTest;
            double agreement = s == Split.TRAIN ? rho : 0.5;
            Random pixels = Seeds.random(seed, "synthetic/pixels/" + s.column());
            int index = 0;
            for (int y = 0; y < 2; y++) {
                int perClass = y == 0 ? n / 2 : n - n / 2;
                boolean[] agree = IdxSplits.exactAgreement(perClass, agreement,
                        Seeds.random(seed, "synthetic/agreement/" + s.column() + "/" + y));
                for (int k = 0; k < perClass; k++) {
                    int a = agree[k] ? y : 1 - y;
                    String id = String.format("syn-%s-%05d", s.column(), index++);
                    out.add(Example.image(id, s, y, a, Example.group(y, a, 2), render(y, a, pixels), SHAPE));
                }
            }
        }
        return out;
    }

    /** One image: background 0.4, stripes of the label's orientation, the attribute's corner patch, noise. */
    byte[] render(int y, int a, Random random) {
        int h = SHAPE.height();
        int w = SHAPE.width();
        double phase = random.nextDouble() * 2 * Math.PI;
        byte[] out = new byte[h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double v;
                if (r < PATCH && c < PATCH) {
                    v = a == 1 ? 1.0 : 0.0;
                } else {
                    int along = y == 0 ? r : c;
                    v = 0.4 + coreContrast * Math.sin(2 * Math.PI * along / 4.0 + phase);
                }
                v += noise * random.nextGaussian();
                out[r * w + c] = (byte) Math.round(255 * Math.max(0.0, Math.min(1.0, v)));
            }
        }
        return out;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("n_train", nTrain);
        d.put("n_val", nVal);
        d.put("n_test", nTest);
        d.put("rho", rho);
        d.put("core_contrast", coreContrast);
        d.put("noise", noise);
        d.put("seed", seed);
        d.put("label_names", List.of("horizontal stripes", "vertical stripes"));
        d.put("attribute_names", List.of("dark corner", "bright corner"));
        d.put("image_shape", SHAPE.toJson());
        return d;
    }
}
