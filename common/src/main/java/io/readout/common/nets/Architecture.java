package io.readout.common.nets;

import io.readout.common.BadInputException;

import java.util.Locale;

/**
 * The two network sizes of the benchmarks. For images, a CNN:
 * conv 3x3 (c1, pad 1) → ReLU → max-pool 2 → conv 3x3 (c2, pad 1) → ReLU → max-pool 2 → dense d ReLU
 * → dense C softmax, with (c1, c2, d) = (32, 64, 128) for the teacher and (8, 16, 32) for the
 * student. For feature vectors, an MLP of proportional widths (see {@link Networks}).
 */
public enum Architecture {
    TEACHER(32, 64, 128),
    STUDENT(8, 16, 32);

    private final int conv1;
    private final int conv2;
    private final int dense;

    Architecture(int conv1, int conv2, int dense) {
        this.conv1 = conv1;
        this.conv2 = conv2;
        this.dense = dense;
    }

    public int conv1() {
        return conv1;
    }

    public int conv2() {
        return conv2;
    }

    public int dense() {
        return dense;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Architecture parse(String s) {
        for (Architecture a : values()) {
            if (a.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return a;
            }
        }
        throw new BadInputException("--arch '" + s + "' is not one of teacher, student");
    }
}
