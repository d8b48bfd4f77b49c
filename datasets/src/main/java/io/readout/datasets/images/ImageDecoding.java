package io.readout.datasets.images;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ImageShape;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image half of every image dataset: takes {@link LabelledImageFile}s and returns the
 * examples table ({@link ExamplesSchema#IMAGE}). Files are fetched through the Hadoop
 * {@code FileSystem} and decoded by {@link ImagePixels} on the executors, one partition at a
 * time, so the driver never holds image bytes. A missing or undecodable file fails the task
 * with a {@link BadInputException} naming it; Spark wraps that in a {@code SparkException} and the
 * caller finds it again with {@link BadInputException#findIn}.
 */
public final class ImageDecoding {
    /** Files per partition when the list comes from the driver: a few seconds of decoding per task. */
    public static final int FILES_PER_PARTITION = 500;
    private static final int MAX_PARTITIONS = 2000;

    private ImageDecoding() {
    }

    /** Decodes files listed on the driver, in their list order. */
    public static Dataset<Row> examples(SparkSession spark, List<LabelledImageFile> files, Configuration conf,
                                        ImageShape shape) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int partitions = Math.max(1, Math.min(MAX_PARTITIONS,
                Math.max(jsc.defaultParallelism(), (files.size() + FILES_PER_PARTITION - 1) / FILES_PER_PARTITION)));
        partitions = Math.min(partitions, Math.max(1, files.size()));
        return examples(spark, jsc.parallelize(files, partitions), conf, shape);
    }

    /** Decodes files already distributed (e.g. the rows of a table), keeping their partitioning. */
    public static Dataset<Row> examples(SparkSession spark, JavaRDD<LabelledImageFile> files, Configuration conf,
                                        ImageShape shape) {
        if (shape.channels() != 1 && shape.channels() != 3) {
            throw new BadInputException("image shape " + shape + ": images have 1 (grey) or 3 (RGB) channels");
        }
        JavaRDD<Row> rows = files.mapPartitions(new DecodePartition(new SerializableConfiguration(conf), shape));
        return spark.createDataFrame(rows, ExamplesSchema.IMAGE);
    }

    /** How {@code dataset.json} records an image shape: {@code {"height", "width", "channels"}}. */
    public static Map<String, Object> describe(ImageShape shape) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("height", shape.height());
        m.put("width", shape.width());
        m.put("channels", shape.channels());
        return m;
    }

    /** Runs on an executor: fetches and decodes the files of one partition lazily, one at a time. */
    private record DecodePartition(SerializableConfiguration conf, ImageShape shape)
            implements FlatMapFunction<Iterator<LabelledImageFile>, Row> {

        @Override
        public Iterator<Row> call(Iterator<LabelledImageFile> files) {
            Configuration hadoop = conf.value();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return files.hasNext();
                }

                @Override
                public Row next() {
                    LabelledImageFile f = files.next();
                    byte[] encoded = read(f, hadoop);
                    byte[] pixels = ImagePixels.decodeToChw(encoded, shape, f.path() + " (" + f.id() + ")");
                    return RowFactory.create(f.id(), f.split(), f.label(), f.attribute(), f.group(), pixels,
                            shape.height(), shape.width(), shape.channels());
                }
            };
        }

        private static byte[] read(LabelledImageFile f, Configuration hadoop) {
            Path p = new Path(f.path());
            try (FSDataInputStream in = p.getFileSystem(hadoop).open(p)) {
                return in.readAllBytes();
            } catch (FileNotFoundException e) {
                throw new BadInputException("image " + f.path() + " (" + f.id() + "): no such file");
            } catch (IOException e) {
                // Not the user's fault as far as we know (a flaky store): let Spark retry the task.
                throw new UncheckedIOException("image " + f.path() + " (" + f.id() + "): read failed", e);
            }
        }
    }
}
