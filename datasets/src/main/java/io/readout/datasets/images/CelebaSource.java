package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.Example;
import io.readout.datasets.ImageShape;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.io.MetadataCsv;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CelebA (Liu et al., 2015) in the CSV layout it is commonly distributed in: a folder with
 * {@code list_attr_celeba.csv} ({@code image_id} and 40 attributes valued -1/1),
 * {@code list_eval_partition.csv} ({@code image_id,partition}; 0/1/2 = train/val/test) and the
 * aligned images in {@code img_align_celeba/<image_id>}. Output: the image examples table with
 * {@code id = celeba-<image_id without extension>}, {@code label} = the target attribute
 * ({@value #DEFAULT_TARGET} by default) and {@code attribute} = the spurious one
 * ({@value #DEFAULT_SPURIOUS}), both mapped -1/1 to 0/1, {@code group = 2 label + attribute};
 * images resized to {@code size} and decoded on the executors by {@link ImageDecoding}.
 */
public final class CelebaSource implements DatasetSource {
    public static final String NAME = "celeba";
    public static final String ATTRIBUTES = "list_attr_celeba.csv";
    public static final String PARTITIONS = "list_eval_partition.csv";
    public static final String IMAGES = "img_align_celeba";
    /** The benchmark of Sagawa et al. (2020): blond hair, spuriously correlated with being female. */
    public static final String DEFAULT_TARGET = "Blond_Hair";
    public static final String DEFAULT_SPURIOUS = "Male";

    private final HadoopInputs inputs;
    private final String root;
    private final String targetAttr;
    private final String spuriousAttr;
    private final ImageShape size;

    /** Null attribute names take the defaults ({@value #DEFAULT_TARGET}, {@value #DEFAULT_SPURIOUS}). */
    public CelebaSource(HadoopInputs inputs, String root, String targetAttr, String spuriousAttr, ImageShape size) {
        this.inputs = inputs;
        this.root = root;
        this.targetAttr = targetAttr == null ? DEFAULT_TARGET : targetAttr;
        this.spuriousAttr = spuriousAttr == null ? DEFAULT_SPURIOUS : spuriousAttr;
        this.size = size;
        if (this.targetAttr.equals(this.spuriousAttr)) {
            throw new BadInputException("celeba: the target and spurious attributes are both '" + this.targetAttr + "'");
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        return ImageDecoding.examples(spark, imageFiles(), inputs.conf(), size);
    }

    /** The images of the attribute file, in its order, with their partitions; checked on the driver. */
    List<LabelledImageFile> imageFiles() {
        inputs.requireDirectory(root, "celeba root");
        MetadataCsv attrs = MetadataCsv.read(inputs, HadoopInputs.child(root, ATTRIBUTES), "celeba attributes");
        MetadataCsv parts = MetadataCsv.read(inputs, HadoopInputs.child(root, PARTITIONS), "celeba partitions");
        Map<String, Split> splits = partitions(parts);

        int idCol = attrs.require("image_id");
        int targetCol = attrs.require(targetAttr);
        int spuriousCol = attrs.require(spuriousAttr);
        String images = HadoopInputs.child(root, IMAGES);
        List<LabelledImageFile> files = new ArrayList<>(attrs.lines().size());
        Set<String> seen = new HashSet<>();
        for (MetadataCsv.Line line : attrs.lines()) {
            String imageId = attrs.cell(line, idCol);
            String rowName = "image_id " + imageId;
            if (imageId.isEmpty()) {
                throw new BadInputException(attrs.where(line, null) + ", column 'image_id': is empty");
            }
            if (!seen.add(imageId)) {
                throw new BadInputException(attrs.where(line, rowName) + ", column 'image_id': value '" + imageId
                        + "' appears more than once");
            }
            int label = attrs.intIn(line, targetCol, targetAttr, rowName, -1, 1) == 1 ? 1 : 0;
            int attribute = attrs.intIn(line, spuriousCol, spuriousAttr, rowName, -1, 1) == 1 ? 1 : 0;
            Split split = splits.get(imageId);
            if (split == null) {
                throw new BadInputException(parts.path() + ": image_id '" + imageId + "' has no partition (listed at "
                        + attrs.where(line, null) + ")");
            }
            files.add(new LabelledImageFile("celeba-" + stem(imageId), split.column(), label, attribute,
                    Example.group(label, attribute, 2), HadoopInputs.child(images, imageId)));
        }
        LabelledImageFile.requireEverySplit(files, attrs.path());
        return files;
    }

    private static Map<String, Split> partitions(MetadataCsv parts) {
        int idCol = parts.require("image_id");
        int partCol = parts.require("partition");
        Map<String, Split> splits = new HashMap<>(parts.lines().size() * 2);
        for (MetadataCsv.Line line : parts.lines()) {
            String imageId = parts.cell(line, idCol);
            String rowName = "image_id " + imageId;
            Split split = Split.parse(parts.cell(line, partCol), parts.where(line, rowName) + ", column 'partition'");
            if (splits.put(imageId, split) != null) {
                throw new BadInputException(parts.where(line, rowName) + ", column 'image_id': value '" + imageId
                        + "' appears more than once");
            }
        }
        return splits;
    }

    /** {@code 000001.jpg} -> {@code 000001}: the release's ids are file names. */
    static String stem(String imageId) {
        int dot = imageId.lastIndexOf('.');
        return dot > 0 ? imageId.substring(0, dot) : imageId;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", NAME);
        d.put("root", root);
        d.put("target_attribute", targetAttr);
        d.put("spurious_attribute", spuriousAttr);
        d.put("image_shape", ImageDecoding.describe(size));
        return d;
    }
}
