package io.readout.datasets.idx;

import io.readout.common.BadInputException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which source classes of an IDX dataset to keep and the label each becomes. From
 * {@code --classes 3,4} (kept classes, labelled 0, 1, … in the order given) and/or
 * {@code --label-map 3:0,4:1} (explicit; several classes may share a label). With neither, every
 * class present is kept under its own number.
 */
public final class LabelMap implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<Integer, Integer> map; // null = identity over the classes present
    private final int numClasses;

    private LabelMap(Map<Integer, Integer> map, int numClasses) {
        this.map = map;
        this.numClasses = numClasses;
    }

    /** The identity over classes 0..numClasses-1. */
    public static LabelMap identity(int numClasses) {
        return new LabelMap(null, numClasses);
    }

    /**
     * Parses the two flags (either may be null or empty).
     */
    public static LabelMap parse(String classes, String labelMap) {
        boolean hasClasses = classes != null && !classes.isBlank();
        boolean hasMap = labelMap != null && !labelMap.isBlank();
        if (!hasClasses && !hasMap) {
            return null;
        }
        Map<Integer, Integer> map = new LinkedHashMap<>();
        if (hasMap) {
            for (String entry : labelMap.split(",")) {
                String[] kv = entry.trim().split(":");
                if (kv.length != 2) {
                    throw new BadInputException("--label-map '" + labelMap + "': entry '" + entry.trim()
                            + "' is not CLASS:LABEL");
                }
                int cls = parseNonNegative(kv[0], "--label-map", labelMap);
                int label = parseNonNegative(kv[1], "--label-map", labelMap);
                if (map.put(cls, label) != null) {
                    throw new BadInputException("--label-map '" + labelMap + "': class " + cls + " is mapped twice");
                }
            }
            if (hasClasses) {
                for (String c : classes.split(",")) {
                    int cls = parseNonNegative(c, "--classes", classes);
                    if (!map.containsKey(cls)) {
                        throw new BadInputException("--classes '" + classes + "': class " + cls
                                + " has no entry in --label-map");
                    }
                }
                map.keySet().retainAll(Arrays.stream(classes.split(","))
                        .map(c -> Integer.parseInt(c.trim())).toList());
            }
        } else {
            int next = 0;
            for (String c : classes.split(",")) {
                int cls = parseNonNegative(c, "--classes", classes);
                if (map.put(cls, next++) != null) {
                    throw new BadInputException("--classes '" + classes + "': class " + cls + " is listed twice");
                }
            }
        }
        int max = map.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        boolean[] used = new boolean[max + 1];
        map.values().forEach(v -> used[v] = true);
        for (int l = 0; l <= max; l++) {
            if (!used[l]) {
                throw new BadInputException("--label-map '" + labelMap + "': labels must be 0.."
                        + max + " without gaps; no class maps to " + l);
            }
        }
        return new LabelMap(map, max + 1);
    }

    /** The label of a source class, or -1 if the class is not kept. */
    public int labelOf(int sourceClass) {
        if (map == null) {
            return sourceClass < numClasses ? sourceClass : -1;
        }
        return map.getOrDefault(sourceClass, -1);
    }

    public int numClasses() {
        return numClasses;
    }

    /** The kept source classes and their labels, sorted by class (identity: 0..numClasses-1). */
    public Map<Integer, Integer> asMap() {
        Map<Integer, Integer> out = new TreeMap<>();
        if (map == null) {
            for (int c = 0; c < numClasses; c++) {
                out.put(c, c);
            }
        } else {
            out.putAll(map);
        }
        return out;
    }

    /** Checks every kept class occurs in the labels (a typo in --classes otherwise yields an empty class). */
    public void requirePresent(IdxFile.Labels labels) {
        boolean[] seen = new boolean[256];
        for (int i = 0; i < labels.count(); i++) {
            seen[labels.label(i)] = true;
        }
        for (int cls : asMap().keySet()) {
            if (cls > 255 || !seen[cls]) {
                throw new BadInputException(labels.source() + ": class " + cls
                        + " (kept by --classes/--label-map) is out of range: no label " + cls + " in the file");
            }
        }
    }

    private static int parseNonNegative(String s, String flag, String whole) {
        try {
            int v = Integer.parseInt(s.trim());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInputException(flag + " '" + whole + "': '" + s.trim() + "' is not a non-negative integer");
    }
}
