package io.readout.jobs.prepare;

import io.readout.common.BadInputException;
import io.readout.datasets.DatasetSource;
import io.readout.datasets.ImageShape;
import io.readout.datasets.images.CelebaSource;
import io.readout.datasets.images.WaterbirdsSource;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.table.TableColumns;
import io.readout.datasets.table.TableSource;

/** The sources read from released image folders and user tables: waterbirds, celeba, table. */
final class ImageSources {
    public static final String DEFAULT_IMAGE_SIZE = "64x64";
    static final String DEFAULT_LABEL_COL = "label";
    static final String DEFAULT_SPLIT_COL = "split";

    private ImageSources() {
    }

    static DatasetSource create(String dataset, SourceOptions o, HadoopInputs inputs) {
        ImageShape size = ImageShape.parse(o.imageSize() != null ? o.imageSize() : DEFAULT_IMAGE_SIZE,
                3, "--image-size");
        return switch (dataset) {
            case "waterbirds" -> new WaterbirdsSource(inputs, o.source(), size);
            case "celeba" -> new CelebaSource(inputs, o.source(), o.targetAttr(), o.spuriousAttr(), size);
            case "table" -> {
                boolean features = o.featureCols() != null && !o.featureCols().isEmpty();
                if (!features && o.imageCol() == null) {
                    throw new BadInputException("--dataset table needs --feature-cols or --image-col");
                }
                if (features && o.imageSize() != null) {
                    throw new BadInputException("--image-size applies to --image-col tables only");
                }
                yield new TableSource(inputs, o.input(), new TableColumns(o.format(),
                        o.labelCol() != null ? o.labelCol() : DEFAULT_LABEL_COL,
                        o.splitCol() != null ? o.splitCol() : DEFAULT_SPLIT_COL,
                        o.attributeCol(), o.groupCol(), o.idCol(), o.featureCols(), o.imageCol(),
                        features ? null : size, o.numClasses()));
            }
            default -> throw new IllegalArgumentException("not an image or table dataset: " + dataset);
        };
    }
}
