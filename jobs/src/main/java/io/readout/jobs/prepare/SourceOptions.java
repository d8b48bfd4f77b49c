package io.readout.jobs.prepare;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.Json;

import java.util.List;

/**
 * The dataset-specific options of {@code prepare}, exactly as given: null where the user did not
 * give the flag (defaults are applied by {@link DatasetSources}, so the saved config shows both).
 */
public record SourceOptions(
        String mnist, String fashion, String images, String classes, String labelMap,
        Double rho, List<String> palette, Double valFraction, Double testFraction, Integer valPerClass,
        Integer nTrain, Integer nVal, Integer nTest, Double coreContrast, Double noise,
        String source, String imageSize, String targetAttr, String spuriousAttr,
        String input, String format, String idCol, String labelCol, String splitCol, String attributeCol,
        String groupCol, List<String> featureCols, String imageCol, Integer numClasses,
        List<String> identities, String attribute, String splitScheme) {

    /**
     * The flags that were given, by their command-line names, with their values: an object whose keys are the
     * flags, in the order of the command's help.
     */
    public ObjectNode given() {
        ObjectNode m = Json.mapper().createObjectNode();
        put(m, "--mnist", mnist);
        put(m, "--fashion", fashion);
        put(m, "--images", images);
        put(m, "--classes", classes);
        put(m, "--label-map", labelMap);
        put(m, "--rho", rho);
        put(m, "--palette", palette);
        put(m, "--val-fraction", valFraction);
        put(m, "--test-fraction", testFraction);
        put(m, "--val-per-class", valPerClass);
        put(m, "--n-train", nTrain);
        put(m, "--n-val", nVal);
        put(m, "--n-test", nTest);
        put(m, "--core-contrast", coreContrast);
        put(m, "--noise", noise);
        put(m, "--source", source);
        put(m, "--image-size", imageSize);
        put(m, "--target-attr", targetAttr);
        put(m, "--spurious-attr", spuriousAttr);
        put(m, "--input", input);
        put(m, "--format", format);
        put(m, "--id-col", idCol);
        put(m, "--label-col", labelCol);
        put(m, "--split-col", splitCol);
        put(m, "--attribute-col", attributeCol);
        put(m, "--group-col", groupCol);
        put(m, "--feature-cols", featureCols);
        put(m, "--image-col", imageCol);
        put(m, "--num-classes", numClasses);
        put(m, "--identities", identities);
        put(m, "--attribute", attribute);
        put(m, "--split-scheme", splitScheme);
        return m;
    }

    private static void put(ObjectNode m, String flag, Object value) {
        if (value != null && !(value instanceof List<?> l && l.isEmpty())) {
            m.set(flag, Json.mapper().valueToTree(value));
        }
    }

    /** No dataset-specific option given. */
    public static SourceOptions none() {
        return new SourceOptions(null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
