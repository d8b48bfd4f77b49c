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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Waterbirds (Sagawa et al., 2020) in its released layout: a folder with {@code metadata.csv}
 * ({@code img_id,img_filename,y,split,place}; split 0/1/2 = train/val/test, y = waterbird,
 * place = water background) and the images at {@code img_filename} relative to the folder.
 * Output: the image examples table with {@code id = wb-<img_id>}, {@code label = y},
 * {@code attribute = place} (the spurious background) and {@code group = 2y + place}; images
 * resized to {@code size} and decoded on the executors by {@link ImageDecoding}.
 */
public final class WaterbirdsSource implements DatasetSource {
    public static final String NAME = "waterbirds";
    public static final String METADATA = "metadata.csv";

    private final HadoopInputs inputs;
    private final String root;
    private final ImageShape size;

    public WaterbirdsSource(HadoopInputs inputs, String root, ImageShape size) {
        this.inputs = inputs;
        this.root = root;
        this.size = size;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Dataset<Row> examples(SparkSession spark) {
        return ImageDecoding.examples(spark, imageFiles(), inputs.conf(), size);
    }

    /** The images listed in {@code metadata.csv}, in file order, checked row by row on the driver. */
    List<LabelledImageFile> imageFiles() {
        inputs.requireDirectory(root, "waterbirds root");
        MetadataCsv csv = MetadataCsv.read(inputs, HadoopInputs.child(root, METADATA), "waterbirds metadata");
        int idCol = csv.require("img_id");
        int fileCol = csv.require("img_filename");
        int yCol = csv.require("y");
        int splitCol = csv.require("split");
        int placeCol = csv.require("place");

        List<LabelledImageFile> files = new ArrayList<>(csv.lines().size());
        Set<String> ids = new HashSet<>();
        for (MetadataCsv.Line line : csv.lines()) {
            String imgId = csv.cell(line, idCol);
            String rowName = "img_id " + imgId;
            if (imgId.isEmpty()) {
                throw new BadInputException(csv.where(line, null) + ", column 'img_id': is empty");
            }
            String id = "wb-" + imgId;
            if (!ids.add(id)) {
                throw new BadInputException(csv.where(line, rowName) + ", column 'img_id': value '" + imgId
                        + "' appears more than once");
            }
            int y = csv.intIn(line, yCol, "y", rowName, 0, 1);
            int place = csv.intIn(line, placeCol, "place", rowName, 0, 1);
            Split split = Split.parse(csv.cell(line, splitCol), csv.where(line, rowName) + ", column 'split'");
            String file = csv.cell(line, fileCol);
            if (file.isEmpty()) {
                throw new BadInputException(csv.where(line, rowName) + ", column 'img_filename': is empty");
            }
            files.add(new LabelledImageFile(id, split.column(), y, place, Example.group(y, place, 2),
                    HadoopInputs.child(root, file)));
        }
        LabelledImageFile.requireEverySplit(files, csv.path());
        return files;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", NAME);
        d.put("root", root);
        d.put("image_shape", ImageDecoding.describe(size));
        return d;
    }
}
