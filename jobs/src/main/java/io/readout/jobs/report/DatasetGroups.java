package io.readout.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.ExamplesSchema;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

/**
 * The groups of a prepared dataset as the report shows them. Per group: its label and attribute (from the
 * examples table, as {@code prepare} wrote them; an example without a group is in the group of its label, as
 * evaluation counts it), a name from {@code dataset.json}'s {@code source.label_names} and
 * {@code source.attribute_names} ("Dress · digit 1"; without names "label 0 · attribute 1"; "label 3" for a
 * group without attribute), its training size ({@code counts.train.groups}) and whether it is bias-conflicting.
 *
 * <p>Bias-conflicting (a minority group): a group with an attribute whose training size is below that of the
 * largest group of its label (the label's majority pairing of label and attribute). A label with one group, or
 * whose groups are equally large, has none; a group without training examples is one when its label has a
 * larger group; without training counts none is. On the benchmark datasets, where attribute i goes with label
 * i in most training examples, these are the groups whose attribute differs from the label, the examples the
 * bias-conflicting accuracy of {@code evaluate} counts.
 *
 * @param labelNames {@code source.label_names}, empty when the dataset has none
 * @param note       why the groups are unknown or unnamed, or null
 */
public record DatasetGroups(String data, List<Group> groups, List<String> labelNames, String note) {
    /** The separator of a group name's label and attribute. */
    public static final String SEPARATOR = " · ";

    /**
     * One group.
     *
     * @param attribute null for a dataset whose groups are its labels
     * @param trainSize training examples, null when dataset.json has no counts
     */
    public record Group(int group, int label, Integer attribute, String name, Long trainSize, boolean biasConflicting) {
        /** "n=250", or "" when the training size is unknown. */
        public String size() {
            return trainSize == null ? "" : "n=" + trainSize;
        }
    }

    /** One (group, label, attribute) of the examples table. */
    public record Key(int group, int label, Integer attribute) {
    }

    /** Groups that cannot be shown (a data folder that cannot be read), with the reason. */
    public static DatasetGroups unknown(String data, String note) {
        return new DatasetGroups(data, List.of(), List.of(), note);
    }

    /** The groups of a prepared data folder; a folder that cannot be read gives {@link #unknown} groups. */
    public static DatasetGroups read(SparkSession spark, String data) {
        HadoopInputs in = new HadoopInputs(spark.sparkContext().hadoopConfiguration());
        try {
            ExamplesTable table = ExamplesTable.open(in, data, "data");
            JsonNode json = datasetJson(in, data);
            List<Key> keys = new ArrayList<>();
            for (Row r : table.read(spark)
                    .select(coalesce(col(ExamplesSchema.GROUP), col(ExamplesSchema.LABEL)).as(ExamplesSchema.GROUP),
                            col(ExamplesSchema.LABEL), col(ExamplesSchema.ATTRIBUTE))
                    .distinct()
                    .orderBy(ExamplesSchema.GROUP, ExamplesSchema.LABEL, ExamplesSchema.ATTRIBUTE)
                    .collectAsList()) {
                keys.add(new Key(r.getInt(0), r.getInt(1), r.isNullAt(2) ? null : r.getInt(2)));
            }
            return of(data, json, keys);
        } catch (BadInputException e) {
            return unknown(data, "groups unnamed: " + e.getMessage());
        }
    }

    /** A prepared folder's dataset.json as a tree; bad input when it cannot be read. */
    static JsonNode datasetJson(HadoopInputs in, String data) {
        String file = HadoopInputs.child(data, ExamplesTable.DATASET_JSON);
        return Json.mapper().valueToTree(Json.readObject(new String(in.readAll(file, "data"), StandardCharsets.UTF_8),
                file));
    }

    /**
     * The groups of {@code keys} (the first key of a group counts, in their order) named and sized from
     * {@code datasetJson}, sorted by group.
     */
    public static DatasetGroups of(String data, JsonNode datasetJson, List<Key> keys) {
        List<String> labelNames = texts(datasetJson.path("source").path("label_names"));
        List<String> attributeNames = texts(datasetJson.path("source").path("attribute_names"));
        JsonNode counts = datasetJson.path("counts").path(Split.TRAIN.column()).path("groups");
        Map<Integer, Key> byGroup = new TreeMap<>();
        for (Key k : keys) {
            byGroup.putIfAbsent(k.group(), k);
        }
        Map<Integer, Long> sizes = new LinkedHashMap<>();
        Map<Integer, Long> largest = new HashMap<>();
        for (Key k : byGroup.values()) {
            if (counts.isObject()) {
                long n = counts.path(String.valueOf(k.group())).asLong(0);
                sizes.put(k.group(), n);
                largest.merge(k.label(), n, Math::max);
            }
        }
        List<Group> groups = new ArrayList<>();
        for (Key k : byGroup.values()) {
            Long n = sizes.get(k.group());
            boolean conflicting = k.attribute() != null && n != null && n < largest.get(k.label());
            String name = name(labelNames, k.label(), "label ") + (k.attribute() == null ? ""
                    : SEPARATOR + name(attributeNames, k.attribute(), "attribute "));
            groups.add(new Group(k.group(), k.label(), k.attribute(), name, n, conflicting));
        }
        String note = counts.isObject() ? null : data + ": dataset.json has no training counts per group";
        return new DatasetGroups(data, List.copyOf(groups), labelNames, note);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        }
        return List.copyOf(out);
    }

    private static String name(List<String> names, int index, String fallback) {
        return index >= 0 && index < names.size() ? names.get(index) : fallback + index;
    }

    /** The group of an id, or null when the dataset has no such group. */
    public Group group(int id) {
        return groups.stream().filter(g -> g.group() == id).findFirst().orElse(null);
    }

    /** A group's name; "group 3" for a group the dataset does not know. */
    public String name(int id) {
        Group g = group(id);
        return g == null ? "group " + id : g.name();
    }

    /** A class's name ("Coat"), or "label 1" without names. */
    public String labelName(int label) {
        return name(labelNames, label, "label ");
    }

    /** The bias-conflicting groups, by id. */
    public List<Group> biasConflicting() {
        return groups.stream().filter(Group::biasConflicting).toList();
    }
}
