package io.readout.jobs.train;

import java.util.Map;

/** The numbers of a config.json object ({@link TrainConfig} and its methods' options), read back. */
final class JsonNumbers {
    private JsonNumbers() {
    }

    /** The number under {@code key}; IllegalArgumentException naming the key when it is missing or not a number. */
    static Number get(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        }
        return n;
    }
}
