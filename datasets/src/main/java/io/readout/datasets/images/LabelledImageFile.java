package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.Split;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An image file and what the examples table will say about it, before it is decoded: read from
 * a dataset's metadata on the driver (or from a table's rows) and shipped to the executors,
 * which fetch and decode {@code path} themselves.
 *
 * @param path a Hadoop path of the image file ({@code file:}, {@code hdfs:}, {@code s3a:} ...)
 * @param split the value of the {@code split} column ({@code train/val/test})
 */
public record LabelledImageFile(String id, String split, int label, Integer attribute, Integer group, String path)
        implements Serializable {

    /** Model selection and reporting need all three splits: an empty one is a broken input, not a quiet zero. */
    public static void requireEverySplit(List<LabelledImageFile> files, String where) {
        Set<String> present = new HashSet<>();
        for (LabelledImageFile f : files) {
            present.add(f.split());
        }
        for (Split s : Split.values()) {
            if (!present.contains(s.column())) {
                throw new BadInputException(where + ": split '" + s.column() + "' has no rows");
            }
        }
    }
}
