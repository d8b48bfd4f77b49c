package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.common.Seeds;
import io.readout.datasets.Example;
import io.readout.datasets.ImageShape;
import io.readout.datasets.InMemorySource;
import io.readout.datasets.Split;
import io.readout.datasets.idx.IdxFolder;
import io.readout.datasets.idx.IdxSplits;
import io.readout.datasets.idx.LabelMap;
import io.readout.datasets.io.HadoopInputs;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * "Colored" IDX images: each grayscale image is tinted with a palette colour (pixel v becomes
 * v·rgb/255 in 3 channels), the colour being the spurious attribute. In train exactly
 * round(rho · n) of each class carry their own class's colour and the rest a seeded uniform
 * choice among the other colours; in val and test each class is spread evenly over all colours.
 * Group g = C·label + colour for C colours.
 */
public final class ColoredSource extends InMemorySource {
    /** Ten well-separated colours (the "tab10" palette). */
    public static final List<String> DEFAULT_PALETTE = List.of(
            "1f77b4", "ff7f0e", "2ca02c", "d62728", "9467bd", "8c564b", "e377c2", "7f7f7f", "bcbd22", "17becf");

    private final HadoopInputs inputs;
    private final String dir;
    private final LabelMap labels;
    private final double rho;
    private final List<int[]> palette;
    private final double valFraction;
    private final double testFraction;
    private final long seed;
    private ImageShape shape;

    public ColoredSource(HadoopInputs inputs, String dir, LabelMap labels, double rho, List<String> palette,
                         double valFraction, double testFraction, long seed) {
        this.inputs = inputs;
        this.dir = dir;
        this.labels = labels;
        this.rho = Rho.require(rho);
        this.palette = parsePalette(palette == null || palette.isEmpty() ? DEFAULT_PALETTE : palette);
        this.valFraction = valFraction;
        this.testFraction = testFraction;
        this.seed = seed;
    }

    @Override
    public String name() {
        return "colored";
    }

    @Override
    public List<Example> build() {
        IdxFolder folder = new IdxFolder(inputs, dir, "--images");
        List<IdxSplits.Item> items = IdxSplits.assign(folder, labels, valFraction, testFraction, seed);
        int numClasses = items.stream().mapToInt(IdxSplits.Item::label).max().orElse(-1) + 1;
        if (palette.size() < numClasses) {
            throw new BadInputException("--palette has " + palette.size() + " colours, the data has " + numClasses
                    + " classes: give at least one colour per class");
        }
        int colours = palette.size();
        // Items of each (split, label), in a stable order, so colour assignment is per class.
        Map<Split, List<List<IdxSplits.Item>>> bucket = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            List<List<IdxSplits.Item>> perLabel = new ArrayList<>();
            for (int l = 0; l < numClasses; l++) {
                perLabel.add(new ArrayList<>());
            }
            bucket.put(s, perLabel);
        }
        for (IdxSplits.Item it : items) {
            bucket.get(it.split()).get(it.label()).add(it);
        }
        List<Example> out = new ArrayList<>(items.size());
        for (Split s : Split.values()) {
            for (int label = 0; label < numClasses; label++) {
                List<IdxSplits.Item> cls = bucket.get(s).get(label);
                int[] colour = s == Split.TRAIN
                        ? trainColours(cls.size(), label, colours, Seeds.random(seed, "colored/train/" + label))
                        : balancedColours(cls.size(), colours, Seeds.random(seed, "colored/" + s.column() + "/" + label));
                for (int k = 0; k < cls.size(); k++) {
                    IdxSplits.Item it = cls.get(k);
                    var images = it.source().images();
                    shape = new ImageShape(images.rows(), images.cols(), 3);
                    out.add(Example.image(it.sourceId() + "-c" + colour[k], s, label, colour[k],
                            Example.group(label, colour[k], colours), tint(images.image(it.index()), palette.get(colour[k])),
                            shape));
                }
            }
        }
        return out;
    }

    /** Exactly round(rho·n) get the class colour, the rest a uniform other colour. */
    private int[] trainColours(int n, int label, int colours, Random random) {
        boolean[] agree = IdxSplits.exactAgreement(n, rho, random);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            if (agree[k] || colours == 1) {
                out[k] = label;
            } else {
                int other = random.nextInt(colours - 1);
                out[k] = other >= label ? other + 1 : other;
            }
        }
        return out;
    }

    /** Each colour n/C times (±1), at seeded positions. */
    private static int[] balancedColours(int n, int colours, Random random) {
        int[] perm = Seeds.permutation(n, random);
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            out[perm[k]] = k % colours;
        }
        return out;
    }

    /** Grayscale HxW to CHW RGB: channel c of pixel p is v·rgb[c]/255, rounded. */
    static byte[] tint(byte[] gray, int[] rgb) {
        int n = gray.length;
        byte[] out = new byte[3 * n];
        for (int c = 0; c < 3; c++) {
            for (int p = 0; p < n; p++) {
                int v = gray[p] & 0xff;
                out[c * n + p] = (byte) ((v * rgb[c] + 127) / 255);
            }
        }
        return out;
    }

    private static List<int[]> parsePalette(List<String> hex) {
        List<int[]> out = new ArrayList<>();
        for (String h : hex) {
            String s = h.trim().toLowerCase(Locale.ROOT).replaceFirst("^#", "");
            if (!s.matches("[0-9a-f]{6}")) {
                throw new BadInputException("--palette: '" + h + "' is not an RRGGBB hex colour");
            }
            int v = Integer.parseInt(s, 16);
            out.add(new int[] {(v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff});
        }
        return out;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("images", dir);
        d.put("label_map", labels == null ? "identity" : labels.asMap());
        d.put("rho", rho);
        List<String> hex = new ArrayList<>();
        for (int[] c : palette) {
            hex.add(String.format("%02x%02x%02x", c[0], c[1], c[2]));
        }
        d.put("palette", hex);
        d.put("val_fraction", valFraction);
        d.put("test_fraction", testFraction);
        d.put("seed", seed);
        d.put("attribute", "palette colour index");
        if (shape != null) {
            d.put("image_shape", shape.toJson());
        }
        return d;
    }
}
