package io.readout.datasets;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.Serializable;

/**
 * One row of the examples table, as builders make it before Spark sees it. Holds either
 * image bytes with their shape or a float feature vector.
 */
public record Example(String id, Split split, int label, Integer attribute, Integer group,
                      byte[] image, ImageShape shape, float[] vector) implements Serializable {

    public static Example image(String id, Split split, int label, Integer attribute, Integer group,
                                byte[] pixels, ImageShape shape) {
        if (pixels.length != shape.pixels()) {
            throw new IllegalArgumentException("image " + id + " has " + pixels.length + " bytes, shape " + shape
                    + " needs " + shape.pixels());
        }
        return new Example(id, split, label, attribute, group, pixels, shape, null);
    }

    public static Example vector(String id, Split split, int label, Integer attribute, Integer group, float[] features) {
        return new Example(id, split, label, attribute, group, null, null, features);
    }

    public boolean isImage() {
        return image != null;
    }

    /** The row in the column order of {@link ExamplesSchema#IMAGE} or {@link ExamplesSchema#VECTOR}. */
    public Row toRow() {
        if (isImage()) {
            return RowFactory.create(id, split.column(), label, attribute, group, image,
                    shape.height(), shape.width(), shape.channels());
        }
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return RowFactory.create(id, split.column(), label, attribute, group, boxed);
    }

    /** Group index g = numAttributes * label + attribute, the convention of the benchmarks (g = 2y + a for binary a). */
    public static int group(int label, int attribute, int numAttributes) {
        return numAttributes * label + attribute;
    }
}
